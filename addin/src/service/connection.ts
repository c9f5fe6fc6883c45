/**
 * The pane's one WebSocket to the service: open, wait for `hello` (its client_id goes with POST /run),
 * deliver every valid ServerMessage, and after an unexpected close reconnect with backoff and
 * re-subscribe to the simulation being watched — the service answers with a snapshot, the reducer drops
 * whatever it has already seen.
 */
import { type ClientMessage, ServerMessage } from '../../../shared/model';
import type { ConnectionState } from '../state/run-state';

export interface ConnectionEvents {
  onMessage(message: ServerMessage): void;
  onState(state: ConnectionState): void;
}

type SocketFactory = (url: string) => WebSocket;

const HELLO_TIMEOUT_MS = 10_000;
const BACKOFF_MS = [250, 500, 1_000, 2_000, 4_000];

export class ServiceConnection {
  private socket?: WebSocket;
  private clientId?: string;
  private watching?: string;
  private closedByUs = false;
  private attempt = 0;
  private retryTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly url: string,
    private readonly events: ConnectionEvents,
    private readonly createSocket: SocketFactory = (url) => new WebSocket(url),
  ) {}

  /** Resolves with the client_id of the service's hello; rejects when it cannot connect. */
  open(): Promise<string> {
    if (this.clientId && this.socket?.readyState === WebSocket.OPEN) return Promise.resolve(this.clientId);
    this.closedByUs = false;
    return this.connect();
  }

  /** Follow a simulation: re-subscribed on every reconnect. */
  watch(simulationId: string | undefined): void {
    this.watching = simulationId;
  }

  subscribe(simulationId: string): void {
    this.watching = simulationId;
    this.send({ type: 'subscribe', simulation_id: simulationId });
  }

  close(): void {
    this.closedByUs = true;
    clearTimeout(this.retryTimer);
    this.socket?.close();
    this.socket = undefined;
    this.clientId = undefined;
    this.events.onState('closed');
  }

  private send(message: ClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private connect(): Promise<string> {
    return new Promise((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = this.createSocket(this.url);
      } catch (e) {
        reject(new Error(`Cannot open ${this.url}: ${e instanceof Error ? e.message : String(e)}`));
        return;
      }
      this.socket = socket;
      let greeted = false;
      const timer = setTimeout(() => {
        if (!greeted) {
          reject(
            new Error(`The service at ${this.url} did not say hello within ${HELLO_TIMEOUT_MS / 1000} s`),
          );
          socket.close();
        }
      }, HELLO_TIMEOUT_MS);
      socket.onmessage = (event) => {
        const parsed = ServerMessage.safeParse(safeJson(event.data));
        if (!parsed.success) return;
        const message = parsed.data;
        if (message.type === 'hello' && !greeted) {
          greeted = true;
          clearTimeout(timer);
          this.clientId = message.client_id;
          this.attempt = 0;
          this.events.onState('open');
          if (this.watching) this.send({ type: 'subscribe', simulation_id: this.watching });
          resolve(message.client_id);
        }
        this.events.onMessage(message);
      };
      socket.onclose = () => {
        clearTimeout(timer);
        if (this.socket !== socket) return;
        this.socket = undefined;
        this.clientId = undefined;
        if (!greeted) reject(new Error(`Could not connect to the service's WebSocket at ${this.url}`));
        // a first connection that fails is the caller's error; a connection that worked once is resumed
        if (!this.closedByUs && (greeted || this.attempt > 0)) this.scheduleReconnect();
        else this.events.onState('closed');
      };
    });
  }

  private scheduleReconnect(): void {
    this.events.onState('reconnecting');
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt++;
    this.retryTimer = setTimeout(() => {
      this.connect().catch(() => undefined); // a failed attempt schedules the next one from onclose
    }, delay);
  }
}

function safeJson(data: unknown): unknown {
  try {
    return JSON.parse(String(data));
  } catch {
    return undefined;
  }
}
