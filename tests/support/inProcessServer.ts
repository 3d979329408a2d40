import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../adapters/config/config';
import { createRuntime, type Runtime } from '../../adapters/composition';
import type { Clock, Stores } from '../../bot/ports';
import { silentLogger } from '../../adapters/logging/logger';
import type { AlertsRuntimeOptions } from '../../adapters/alerts/safeguardingAlertsRuntime';

export interface InProcessServer {
  url: string;
  runtime: Runtime;
  server: Server;
  close(): Promise<void>;
}

/** The whole app on in-process stores (or the env's REDIS_URL), listening on a free port. */
export async function startInProcess(env: Record<string, string> = {}, given?: { stores?: Stores; clock?: Clock; alerts?: AlertsRuntimeOptions }): Promise<InProcessServer> {
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const runtime = await createRuntime(config, silentLogger, given);
  const server = createServer(runtime.app);
  runtime.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    runtime,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.close();
    },
  };
}
