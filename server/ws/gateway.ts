/**
 * The WebSocket gateway at /ws: the one delivery path for progress. On connect a client gets `hello`
 * with its client_id; runs submitted with that id stream to it from their first event. `subscribe`
 * listens first, then sends a snapshot from the store, then only events with a higher `seq`.
 * It also watches the runs its clients follow and marks them stalled when their heartbeats stop.
 */

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { ClientMessage, type ServerMessage, TERMINAL_STATUSES } from '../../shared/model';
import type { ProgressStore, StoreEvent } from '../progress/store';
import type { RedisClient } from '../redis/connect';
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
  running: boolean;
  lastEventAt: number;
}

export interface GatewayOptions {
  stallAfterMs: number;
  /** Decides who may connect: the owner for the request, or a status code to refuse it with. */
  authorize: (request: IncomingMessage) => { owner: string } | { status: number };
}

export class WsGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly clients = new Map<string, Client>();
  private readonly watched = new Map<string, Watched>();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly store: ProgressStore,
    private readonly subscriber: RedisClient,
    private readonly keys: Keys,
    private readonly options: GatewayOptions,
  ) {}

  async attach(server: Server): Promise<void> {
    this.subscriber.on('message', (_channel, payload: string) => this.onStoreEvent(payload));
    await this.subscriber.subscribe(this.keys.eventsChannel());
    server.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
    this.timers.push(setInterval(() => this.pingClients(), 15_000));
    this.timers.push(setInterval(() => void this.sweepStalled(), 1_000));
  }

  get connections(): number {
    return this.clients.size;
  }

  close(): void {
    for (const t of this.timers) clearInterval(t);
    for (const client of this.clients.values()) client.socket.terminate();
    this.wss.close();
    this.subscriber.disconnect();
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
    this.watch(id, fields.status === 'running');
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
    if (this.watched.has(id)) this.watch(id, event.fields.status === 'running');
    const owner = event.fields.client_id ? this.clients.get(event.fields.client_id) : undefined;
    if (owner && owner.owner === event.fields.owner && !owner.subscriptions.has(id)) {
      // The client that submitted the run gets it from the first event, without subscribing.
      owner.subscriptions.set(id, { lastSeq: -1, pending: null });
      this.watch(id, event.fields.status === 'running');
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

  private watch(id: string, running: boolean): void {
    this.watched.set(id, { running, lastEventAt: Date.now() });
  }

  /** Runs followed here whose heartbeats stopped are marked stalled in the store (an event for all). */
  private async sweepStalled(): Promise<void> {
    const now = Date.now();
    for (const [id, w] of this.watched) {
      const followed = [...this.clients.values()].some((c) => c.subscriptions.has(id));
      if (!followed) {
        this.watched.delete(id);
        continue;
      }
      if (w.running && now - w.lastEventAt >= this.options.stallAfterMs)
        await this.store.markStalled(id).catch(() => false);
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
