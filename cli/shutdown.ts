/**
 * Stops a running service on SIGINT/SIGTERM within a deadline: a second signal or the deadline
 * exits at once. Resolves with the exit code once stopped.
 */
export function untilSignal(stop: () => Promise<void>, deadlineMs = 5_000): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) process.exit(1);
      stopping = true;
      const timer = setTimeout(() => {
        process.stderr.write(`sigmascope: still stopping after ${deadlineMs} ms (${signal}); exiting\n`);
        process.exit(1);
      }, deadlineMs);
      timer.unref();
      stop().then(
        () => (clearTimeout(timer), resolve(0)),
        (err: unknown) => {
          process.stderr.write(`sigmascope: error while stopping: ${String(err)}\n`);
          resolve(1);
        },
      );
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}
