import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../bench/freePort';

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  /**
   * Shuts the server down (SIGTERM, SIGKILL after 5 s) and waits for it to exit. Keeps `dir`, so
   * `startRedisServer({ port, dir })` can bring the same server back; `destroy()` removes it.
   */
  stop(): Promise<void>;
  /** stop(), then removes the temporary folder. Safe to call after stop() or twice. */
  destroy(): Promise<void>;
  /** Sends a signal without waiting, e.g. SIGKILL to simulate a crash. */
  kill(signal?: NodeJS.Signals): void;
}

export interface RedisServerOptions {
  /** Reuse a port, e.g. to restart a stopped server where clients expect it. */
  port?: number;
  /** Reuse a folder, e.g. to restart on the data of a stopped server started with appendonly. */
  dir?: string;
  appendonly?: boolean;
  /** More redis-server arguments, e.g. `--cluster-enabled yes` or `--replicaof 127.0.0.1 6380`. */
  args?: string[];
  /** requirepass (and masterauth, for a replica of a server with the same password) */
  password?: string;
  /** A config file (in `dir`), read first: a Sentinel needs one it can rewrite. */
  configFile?: (port: number, dir: string) => string;
  /** Listen with TLS only (`--tls-port`, no plain port), with this certificate; clients need no certificate of their own. */
  tls?: RedisTlsFiles;
}

/** PEM files of a TLS server: its certificate and key, and the CA that signed it (which clients are given to trust it). */
export interface RedisTlsFiles {
  certFile: string;
  keyFile: string;
  caFile: string;
  /** the host name the certificate names, which a client connects by */
  host: string;
}

/**
 * Servers still running when the test process exits, e.g. after a test failed before its
 * cleanup: killed on exit so no redis-server outlives its test run.
 */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** The developer's own Redis listens here; a test server must never be it or replace it. */
const DEVELOPER_PORT = 6379;
const READY_TIMEOUT_MS = 10_000;

/**
 * Asks the port for PING and the server's process id over a raw socket. A plain socket, not
 * ioredis, so a refused connection leaves no reconnect or disconnect timer behind in the test.
 */
function probe(port: number, password?: string, tls?: RedisTlsFiles): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket: Socket = tls ? connectTls({ port, host: '127.0.0.1', servername: tls.host, ca: readFileSync(tls.caFile) }) : connect({ port, host: '127.0.0.1' });
    let reply = '';
    const done = (pid: number | undefined) => {
      socket.destroy();
      resolve(pid);
    };
    socket.setTimeout(1000, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write(`${password ? `AUTH ${password}\r\n` : ''}PING\r\nINFO server\r\n`));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('utf8');
      if (password && reply.startsWith('+OK\r\n')) reply = reply.slice(5);
      const pid = /process_id:(\d+)\r\n/.exec(reply);
      if (reply.startsWith('+PONG') && pid) done(Number(pid[1]));
      else if (reply.startsWith('-')) done(undefined);
    });
  });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function exited(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitUntilAnswering(port: number, child: ChildProcess, output: () => string, spawnError: () => Error | undefined, password?: string, tls?: RedisTlsFiles): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const failed = spawnError();
    if (failed) throw new Error(`redis-server could not be started: ${failed.message}`);
    if (hasExited(child)) throw new Error(`redis-server on port ${port} exited with ${child.exitCode ?? child.signalCode}:\n${output()}`);
    // Another process that took the port could also answer PING; only our own pid counts.
    if ((await probe(port, password, tls)) === child.pid) return;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer PING in ${READY_TIMEOUT_MS / 1000} s:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function logTail(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-20).join('\n') : '(no log)';
}

async function launch(port: number, dir: string, options: RedisServerOptions): Promise<ChildProcess> {
  const logfile = path.join(dir, `redis-${port}.log`);
  const args = [
    ...(options.configFile ? [options.configFile(port, dir)] : []),
    // With TLS the port is the TLS one and nothing listens in plain text.
    ...(options.tls
      ? [
          '--port',
          '0',
          '--tls-port',
          String(port),
          '--tls-cert-file',
          options.tls.certFile,
          '--tls-key-file',
          options.tls.keyFile,
          '--tls-ca-cert-file',
          options.tls.caFile,
          '--tls-auth-clients',
          'no',
        ]
      : ['--port', String(port)]),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    options.appendonly ? 'yes' : 'no',
    '--logfile',
    logfile,
    '--daemonize',
    'no',
    ...(options.password ? ['--requirepass', options.password, '--masterauth', options.password] : []),
    ...(options.args ?? []),
  ];
  // Output goes to a file, not a pipe, and the child is unref'd: a server a failed test never
  // stopped must not hold the test process open (the exit hook above kills it).
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  child.unref();
  running.add(child);
  child.once('exit', () => running.delete(child));
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  await waitUntilAnswering(
    port,
    child,
    () => logTail(logfile),
    () => spawnError,
    options.password,
    options.tls,
  );
  return child;
}

function isPortCollision(error: unknown): boolean {
  return error instanceof Error && /address already in use|could not create server tcp listening socket/i.test(error.message);
}

/**
 * A real redis-server for a test, on a free port in its own temporary folder, never the
 * developer's Redis on 6379. Pass `port` and `dir` of a stopped one to restart it there.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  if (options.port === DEVELOPER_PORT) throw new Error(`startRedisServer: port ${DEVELOPER_PORT} is the developer's own Redis`);
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'careersbot-redis-'));
  mkdirSync(dir, { recursive: true });
  let port = options.port ?? 0;
  let child: ChildProcess | undefined;
  for (let attempt = 1; !child; attempt += 1) {
    if (!options.port) {
      do port = await freePort();
      while (port === DEVELOPER_PORT);
    }
    try {
      child = await launch(port, dir, options);
    } catch (error) {
      // Between freePort() closing its probe and redis-server binding, another process may take the port.
      if (options.port || attempt >= 5 || !isPortCollision(error)) {
        if (!options.dir) rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const server = child;

  const stop = async () => {
    if (hasExited(server)) return;
    const gone = exited(server);
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  };
  return {
    url: options.tls ? `rediss://${options.tls.host}:${port}` : `redis://127.0.0.1:${port}`,
    port,
    dir,
    stop,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    kill: (signal: NodeJS.Signals = 'SIGKILL') => {
      if (!hasExited(server)) server.kill(signal);
    },
  };
}
