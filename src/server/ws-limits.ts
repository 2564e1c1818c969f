import { GraphQLError } from 'graphql';
import type { Principal } from '../model/principal.js';

export interface WsLimits {
  /** Largest graphql-ws message accepted; a larger one closes the socket with 1009 (Message Too Big). */
  readonly maxMessageBytes: number;
  /** Operations running at once on one socket. */
  readonly maxSubscriptionsPerSocket: number;
  /** Operations running at once on all the sockets of one principal (open mode: everyone is one). */
  readonly maxSubscriptionsPerPrincipal: number;
}

/** The graphql-ws `error` message's code for an operation over either limit. */
export const TOO_MANY_SUBSCRIPTIONS = 'TOO_MANY_SUBSCRIPTIONS';

interface SocketOperations {
  readonly principal: string;
  readonly ids: Set<string>;
}

/**
 * Counts the operations running on each graphql-ws socket and for each principal, so that neither
 * one socket nor one caller can hold unbounded memory (each subscription costs tens of KiB). An
 * operation holds its place from `reserve` until `release`, or until its socket closes
 * (`releaseSocket`), whichever comes first; releasing twice is harmless.
 */
export class OperationCounter {
  private readonly byPrincipal = new Map<string, number>();
  private readonly bySocket = new WeakMap<object, SocketOperations>();

  constructor(private readonly limits: Omit<WsLimits, 'maxMessageBytes'>) {}

  /** Takes a place for operation `id` of `socket`; the refusal to send instead when none is left. */
  reserve(socket: object, principal: Principal | undefined, id: string): GraphQLError | undefined {
    const key = principal?.id ?? '';
    let operations = this.bySocket.get(socket);
    if (!operations) {
      operations = { principal: key, ids: new Set() };
      this.bySocket.set(socket, operations);
    }
    const { maxSubscriptionsPerSocket: perSocket, maxSubscriptionsPerPrincipal: perPrincipal } = this.limits;
    if (operations.ids.size >= perSocket) {
      return refusal(`at most ${perSocket} operations may run at once on one connection`);
    }
    const running = this.byPrincipal.get(key) ?? 0;
    if (running >= perPrincipal) {
      return refusal(`at most ${perPrincipal} operations may run at once for one caller`);
    }
    operations.ids.add(id);
    this.byPrincipal.set(key, running + 1);
    return undefined;
  }

  release(socket: object, id: string): void {
    const operations = this.bySocket.get(socket);
    if (!operations?.ids.delete(id)) return;
    this.uncount(operations.principal, 1);
  }

  releaseSocket(socket: object): void {
    const operations = this.bySocket.get(socket);
    if (!operations) return;
    this.bySocket.delete(socket);
    this.uncount(operations.principal, operations.ids.size);
  }

  private uncount(principal: string, count: number): void {
    const left = (this.byPrincipal.get(principal) ?? 0) - count;
    // No entry for a principal with nothing running: the map stays as small as the callers online.
    if (left > 0) this.byPrincipal.set(principal, left);
    else this.byPrincipal.delete(principal);
  }
}

function refusal(message: string): GraphQLError {
  return new GraphQLError(`Too many subscriptions: ${message}; end one first.`, {
    extensions: { code: TOO_MANY_SUBSCRIPTIONS },
  });
}
