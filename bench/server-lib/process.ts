// A bench server in its own process: it prints `READY <url>` when listening and answers SIGUSR2
// with `CPU <µs>` (its CPU time so far), so a bench can charge the server's CPU apart from its own.
import { spawn, type ChildProcess } from 'node:child_process';

/** A server process that prints `READY url` and answers SIGUSR2 with `CPU µs`. */
export function startProcess(script: string, env: Record<string, string>, nodeArgs: readonly string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /READY (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.on('exit', (c) => reject(new Error(`${script} exited ${c}`)));
  });
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    let out = '';
    const on = (b: Buffer) => {
      out += b.toString();
      const m = /CPU (\d+)\n/.exec(out);
      if (m?.[1]) {
        child.stdout?.off('data', on);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', on);
    child.kill('SIGUSR2');
  });
}
