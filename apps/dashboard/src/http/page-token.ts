import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Per-page tokens for the append POST: each page load gets a fresh random
 * nonce signed with a secret only this process knows, so the server checks a
 * token without keeping a list of them (no memory per page). Another site
 * cannot read the page, so it cannot learn a token.
 */
export class PageTokens {
  constructor(private readonly secret: Buffer = randomBytes(32)) {}

  issue(): string {
    const nonce = randomBytes(16).toString('base64url');
    return `${nonce}.${this.mac(nonce)}`;
  }

  verify(token: string | undefined): boolean {
    if (!token) return false;
    const dot = token.indexOf('.');
    if (dot <= 0) return false;
    const expected = Buffer.from(this.mac(token.slice(0, dot)));
    const given = Buffer.from(token.slice(dot + 1));
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(nonce: string): string {
    return createHmac('sha256', this.secret).update(nonce).digest('base64url');
  }
}
