import { createServer } from 'node:http';
import { config as readDotEnv } from 'dotenv';
import { ConfigError, loadConfig } from './config/config';
import { createRuntime } from './composition';
import { createLogger } from './logging/logger';
import { errorMessage } from '../bot/errorMessage';

/** The server entry: read config, wire the parts, listen, and shut down cleanly. */
async function main(): Promise<void> {
  readDotEnv({ quiet: true });
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const runtime = await createRuntime(config, logger);
  const server = createServer(runtime.app);
  runtime.attach(server);
  server.listen(config.PORT, () => {
    const botFramework = {
      authenticated: 'on, channel tokens required',
      'open-development': 'on without authentication (development only; set MicrosoftAppId for Teams)',
      off: 'off: NODE_ENV=production and no MicrosoftAppId, so /api/messages answers 404',
    }[runtime.botFramework];
    logger.info('careers bot listening', {
      url: `http://localhost:${config.PORT}/`,
      storage: runtime.stores.kind,
      ...(runtime.stores.kind === 'memory' ? { note: 'in-process stores: one process only, lost on restart; set REDIS_URL (or REDIS_CLUSTER_NODES, REDIS_SENTINELS) to use Redis' } : {}),
      apiMessages: botFramework,
    });
  });

  // SIGTERM drains: no new connections, the streams closed, the turns in progress finished and
  // their replies written, then the stores closed. Exit 1 only if that takes over 10 seconds.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting with turns unfinished', { signal });
      process.exit(1);
    }, 10_000);
    force.unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // A kept-alive connection goes idle once its last response is out: close each as it does.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    server.closeIdleConnections();
    runtime
      .drain()
      .then(() => closed)
      .finally(() => clearInterval(sweep))
      .then(() => runtime.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error('shutdown failed', { error: errorMessage(error) });
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  const message = errorMessage(error);
  process.stderr.write(`Start-up failed: ${message}\n`);
  process.exit(1);
});
