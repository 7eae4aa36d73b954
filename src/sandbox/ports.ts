/** Free TCP ports on the loopback interface. */
import net from "node:net";

/**
 * Asks the OS for a free TCP port on `host` (127.0.0.1 by default): listens on port 0, reads the
 * port it was given and closes the socket again.
 *
 * The port is free when the promise resolves, but nothing reserves it: another process can take it
 * before the caller binds it. Callers that start a server on it should retry with a fresh port when
 * the bind fails with "address already in use" (as {@link startAlertmanager} does).
 */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error(`could not read the port the OS assigned on ${host}`));
        return;
      }
      const { port } = address;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}
