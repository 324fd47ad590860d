/** An error answered as Kargo answers: the status code and `{"error": message}`. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}
