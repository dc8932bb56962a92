import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * `npm start` in a child process (so a test can kill it with SIGKILL or stop it with SIGINT), on
 * ports the test chooses, with its data folder and any environment the test adds.
 */
export interface StackProcess {
  child: ChildProcess;
  apiUrl: string;
  awsUrl: string;
  output(): string;
  exited: Promise<void>;
}

/** A loopback port free right now. */
export const freePort = async (): Promise<number> => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
};

export const spawnStack = (options: {
  dataDir: string;
  port: number;
  awsPort: number;
  env?: Record<string, string>;
}): StackProcess => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'local/start.ts', '--data-dir', options.dataDir],
    {
      env: {
        ...process.env,
        PORT: String(options.port),
        DYNAMODB_PORT: '0',
        SES_PORT: '0',
        LOCAL_AWS_PORT: String(options.awsPort),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = once(child, 'exit').then(() => undefined);
  return {
    child,
    apiUrl: `http://127.0.0.1:${options.port}`,
    awsUrl: `http://127.0.0.1:${options.awsPort}`,
    output: () => output,
    exited,
  };
};

/**
 * Waits for GET /health to answer 200, noting each answer on the way. A request not answered in 10 s
 * counts as hung: a request left unanswered waits for ever, while module loading at start can hold a
 * busy machine's event loop for a second or two.
 */
export const waitForHealth = async (apiUrl: string, timeoutMs = 60_000) => {
  const started = Date.now();
  const answers: (number | 'refused' | 'hung')[] = [];
  while (Date.now() - started < timeoutMs) {
    try {
      const response = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(10_000) });
      answers.push(response.status);
      await response.body?.cancel();
      if (response.status === 200) return { ms: Date.now() - started, answers };
    } catch (error) {
      answers.push((error as Error).name === 'TimeoutError' ? 'hung' : 'refused');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`No 200 from ${apiUrl}/health in ${timeoutMs} ms: ${answers.slice(-5).join(', ')}`);
};

/**
 * A proxy in front of the SES emulator that can pull the plug: on the nth SendBulkEmail it holds
 * that call and every later one (SES never sees them), waits a moment so the calls SES already
 * answered are recorded by their senders, then kills the stack with SIGKILL.
 */
export const startSesProxy = async (sesEndpoint: string) => {
  const target = new URL(sesEndpoint);
  let bulkCalls = 0;
  let killAt: { nth: number; child: ChildProcess; settleMs: number } | undefined;
  let holding = false;
  const server = createServer((req, res) => {
    const isBulk = req.method === 'POST' && req.url?.startsWith('/v2/email/outbound-bulk-emails');
    if (isBulk) bulkCalls += 1;
    if (holding || (isBulk && killAt && bulkCalls >= killAt.nth)) {
      if (!holding && killAt) {
        holding = true;
        const { child, settleMs } = killAt;
        setTimeout(() => child.kill('SIGKILL'), settleMs);
      }
      req.resume();
      req.socket.on('close', () => res.destroy());
      return;
    }
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    killOnBulkCall(nth: number, child: ChildProcess, settleMs = 300) {
      bulkCalls = 0;
      killAt = { nth, child, settleMs };
      holding = false;
    },
    passThrough() {
      killAt = undefined;
      holding = false;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
};
