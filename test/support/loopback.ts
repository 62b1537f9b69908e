/**
 * A stand-in's HTTP server on 127.0.0.1, on a port the OS chooses: started, its URL known, closed with every
 * connection it holds. Each request goes to `handle`; an exception there is a 500 with its text.
 */
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

export abstract class LoopbackServer {
  url = ``;
  private readonly server = createServer((req, res) => {
    this.handle(req, res).catch(error => {
      res.writeHead(500);
      res.end(String(error));
    });
  });

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;

  async start(): Promise<this> {
    await new Promise<void>(resolve => this.server.listen(0, `127.0.0.1`, resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }
}

/** A request's body, whole. */
export async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req)
    chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
