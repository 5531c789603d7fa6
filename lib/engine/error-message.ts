/** An error as one log line: name, message and, for an HttpException, its response body. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const response = (error as { getResponse?: () => unknown }).getResponse?.();
    const detail = typeof response === 'object' && response !== null ? ` ${JSON.stringify(response)}` : '';
    return `${error.name}: ${error.message}${detail}`;
  }
  return String(error);
}
