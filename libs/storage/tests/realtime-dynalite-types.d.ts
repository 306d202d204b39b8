declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }

  /** dynalite ships no types: it returns a plain Node HTTP server speaking the DynamoDB protocol. */
  export default function dynalite(options?: DynaliteOptions): Server;
}
