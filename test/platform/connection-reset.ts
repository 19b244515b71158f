// A keep-alive connection the server closed as the client reused it fails the next request with "fetch failed".
// A launch can then only be started again from the beginning (its id token is single-use).

/** Whether `err` is a reused connection that the server had closed, rather than an answer. */
export function isConnectionReset(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } } | null)?.cause;
  return cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET';
}

/** Runs `attempt` again (up to `times` in all) while it fails with a connection reset. */
export async function retryOnConnectionReset<T>(attempt: () => Promise<T>, times = 3): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isConnectionReset(err) || n >= times) throw err;
    }
  }
}
