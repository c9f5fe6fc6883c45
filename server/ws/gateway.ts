/**
 * The WebSocket gateway at /ws: the one delivery path for progress. On connect a client gets `hello`
 * with its client_id; runs submitted with that id stream to it from their first event. `subscribe`
 * listens first, then sends a snapshot from the store, then only events with a higher `seq`.
 * It also keeps the runs its clients follow alive: a heartbeat when no event went out for 0.7 s (saying
 * what the run waits for when its workers are silent), `stalled` when their heartbeats stop, and a final
 * `failed` when the run's record vanished (the store was reset), so no client waits on a silent socket.
 */

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  ClientMessage,
  type Progress,
  type ServerMessage,
  type SimulationError,
  TERMINAL_STATUSES,
} from '../../shared/model';
import type { ProgressStore, StoreEvent } from '../progress/store';
import { connections, type RedisClient } from '../redis/connect';
import type { Keys } from '../redis/keys';
import { toServerMessage } from './events';

interface Subscription {
  lastSeq: number;
  /** Events that arrive while the snapshot is being read; flushed after it. */
  pending: ServerMessage[] | null;
}

interface Client {
  id: string;
  owner: string;
  socket: WebSocket;
  alive: boolean;
  subscriptions: Map<string, Subscription>;
}

interface Watched {
  live: boolean;
  /** The last record streamed, for the final event of a run whose record vanished. */
  last: Progress;
  /** The store's epoch when the run was first watched here (see Keys.storeEpoch). */
  epoch: string;
}

/** How often the gateway checks the runs it streams: well under the one-second promise. */
const KEEP_ALIVE_EVERY_MS = 250;

export interface GatewayOptions {
  /** Decides who may connect: the owner for the request, or a status code to refuse it with. */
  authorize: (request: IncomingMessage) => { owner: string } | { status: number };
}

export class WsGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly clients = new Map<string, Client>();
  private readonly watched = new Map<string, Watched>();
  private readonly timers: NodeJS.Timeout[] = [];
  private epoch = '';
  private keepingAlive = false;

  constructor(
    private readonly store: ProgressStore,
    private readonly subscriber: RedisClient,
    private readonly keys: Keys,
    private readonly options: GatewayOptions,
  ) {}

  async attach(server: Server): Promise<void> {
    this.subscriber.on('message', (_channel, payload: string) => this.onStoreEvent(payload));
    await this.subscriber.subscribe(this.keys.eventsChannel());
    this.epoch = await this.store.epoch();
    server.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
    this.timers.push(setInterval(() => this.pingClients(), 15_000));
    this.timers.push(setInterval(() => void this.keepAlive(), KEEP_ALIVE_EVERY_MS));
  }

  get connections(): number {
    return this.clients.size;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const client of this.clients.values()) client.socket.terminate();
    this.wss.close();
    await connections.close(this.subscriber);
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path !== '/ws') return void refuse(socket, 404);
    const verdict = this.options.authorize(request);
    if ('status' in verdict) return void refuse(socket, verdict.status);
    this.wss.handleUpgrade(request, socket, head, (ws) => this.connect(ws, verdict.owner));
  }

  private connect(socket: WebSocket, owner: string): void {
    const client: Client = { id: randomUUID(), owner, socket, alive: true, subscriptions: new Map() };
    this.clients.set(client.id, client);
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('message', (data) => void this.onClientMessage(client, data.toString()));
    socket.on('close', () => this.clients.delete(client.id));
    socket.on('error', () => socket.terminate());
    send(client, { type: 'hello', client_id: client.id });
  }

  private async onClientMessage(client: Client, text: string): Promise<void> {
    let message: ClientMessage;
    try {
      message = ClientMessage.parse(JSON.parse(text));
    } catch {
      return void send(client, {
        type: 'error',
        error: {
          code: 'invalid-message',
          message: 'expected {"type":"subscribe"|"unsubscribe","simulation_id":…}',
        },
      });
    }
    if (message.type === 'unsubscribe') return void client.subscriptions.delete(message.simulation_id);
    await this.subscribe(client, message.simulation_id);
  }

  /** Listen first, then snapshot, then the buffered and live events above the snapshot's seq. */
  private async subscribe(client: Client, id: string): Promise<void> {
    const subscription: Subscription = { lastSeq: -1, pending: [] };
    client.subscriptions.set(id, subscription);
    let fields: Record<string, string> | undefined;
    try {
      fields = await this.store.fields(id);
    } catch {
      client.subscriptions.delete(id);
      return void send(client, {
        type: 'error',
        simulation_id: id,
        error: { code: 'unavailable', message: 'the progress store is unavailable; subscribe again shortly' },
      });
    }
    if (!fields || fields.owner !== client.owner) {
      client.subscriptions.delete(id);
      return void send(client, {
        type: 'error',
        simulation_id: id,
        error: { code: 'not-found', message: `no simulation ${id}` },
      });
    }
    const snapshot = this.store.toProgress(id, fields);
    send(client, { type: 'snapshot', ...snapshot });
    subscription.lastSeq = snapshot.seq;
    const pending = subscription.pending ?? [];
    subscription.pending = null;
    for (const message of pending) this.deliver(client, id, subscription, message);
    this.watch(snapshot);
  }

  private onStoreEvent(payload: string): void {
    let event: StoreEvent;
    try {
      event = JSON.parse(payload) as StoreEvent;
    } catch {
      return;
    }
    const id = event.fields.id;
    const message = toServerMessage(this.store, event);
    const { type: _type, ...record } = message as Extract<ServerMessage, { seq: number }>;
    if (this.watched.has(id)) this.watch(record);
    const owner = event.fields.client_id ? this.clients.get(event.fields.client_id) : undefined;
    if (owner && owner.owner === event.fields.owner && !owner.subscriptions.has(id)) {
      // The client that submitted the run gets it from the first event, without subscribing.
      owner.subscriptions.set(id, { lastSeq: -1, pending: null });
      this.watch(record);
    }
    for (const client of this.clients.values()) {
      const subscription = client.subscriptions.get(id);
      if (subscription) this.deliver(client, id, subscription, message);
    }
  }

  private deliver(client: Client, id: string, subscription: Subscription, message: ServerMessage): void {
    if (subscription.pending) return void subscription.pending.push(message);
    const seq = 'seq' in message ? message.seq : 0;
    if (seq <= subscription.lastSeq) return;
    subscription.lastSeq = seq;
    send(client, message);
    if (TERMINAL_STATUSES.includes(message.type as never)) client.subscriptions.delete(id);
  }

  private watch(record: Progress): void {
    const id = record.simulation_id;
    const live = !TERMINAL_STATUSES.includes(record.status);
    this.watched.set(id, { live, last: record, epoch: this.watched.get(id)?.epoch ?? this.epoch });
  }

  /**
   * Every live run followed here gets the store's keep-alive (one atomic script, so several API
   * processes streaming the same run send one heartbeat between them). A run whose record is gone
   * ends `failed` for its followers.
   */
  private async keepAlive(): Promise<void> {
    if (this.keepingAlive) return;
    this.keepingAlive = true;
    try {
      const runs: [string, Watched][] = [];
      for (const [id, w] of this.watched) {
        const followed = [...this.clients.values()].some((c) => c.subscriptions.has(id));
        if (!followed) this.watched.delete(id);
        else if (w.live) runs.push([id, w]);
      }
      await Promise.all(
        runs.map(async ([id, w]) => {
          // Redis unreachable: nothing can be said about the run until it answers again.
          const state = await this.store.keepAlive(id).catch(() => undefined);
          if (state === 'gone') await this.lost(id, w);
        }),
      );
    } finally {
      this.keepingAlive = false;
    }
  }

  /** The run's record vanished: its followers get a final `failed` that says why. */
  private async lost(id: string, w: Watched): Promise<void> {
    const epoch = await this.store.epoch().catch(() => undefined);
    if (epoch === undefined) return; // Redis went away meanwhile: ask again on the next round
    this.epoch = epoch;
    const error: SimulationError =
      epoch !== w.epoch
        ? { code: 'lost', message: "lost: the queue's store was reset" }
        : { code: 'lost', message: 'lost: the simulation’s record was deleted' };
    const { waiting_for: _waiting, ...last } = w.last;
    const message: ServerMessage = {
      type: 'failed',
      ...last,
      status: 'failed',
      stalled: false,
      children: last.children.map((c) =>
        TERMINAL_STATUSES.includes(c.status) ? c : { ...c, status: 'failed' as const },
      ),
      error,
      seq: last.seq + 1,
      updated_at: new Date().toISOString(),
    };
    this.watched.delete(id);
    for (const client of this.clients.values()) {
      const subscription = client.subscriptions.get(id);
      if (subscription) this.deliver(client, id, subscription, message);
    }
  }

  private pingClients(): void {
    for (const client of this.clients.values()) {
      if (!client.alive) {
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }
}

function send(client: Client, message: ServerMessage): void {
  if (client.socket.readyState === client.socket.OPEN) client.socket.send(JSON.stringify(message));
}

function refuse(socket: Duplex, status: number): void {
  socket.write(
    `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  );
  socket.destroy();
}
