/**
 * Counts what would crash a Node service (an exception nobody caught, a rejection nobody handled) while
 * a scenario runs in this process; `stop` returns the count.
 */
export function watchCrashes(): { stop(): number } {
  let count = 0;
  const record = () => {
    count++;
  };
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    stop() {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
      return count;
    },
  };
}
