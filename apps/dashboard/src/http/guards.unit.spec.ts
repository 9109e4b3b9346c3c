import { OriginGuard } from './origin-guard';
import { PageTokens } from './page-token';

describe('origin guard', () => {
  const guard = new OriginGuard('127.0.0.1', 8080);

  it("accepts the dashboard's own loopback names only, on its port", () => {
    expect(guard.allowsHost('127.0.0.1:8080')).toBe(true);
    expect(guard.allowsHost('LOCALHOST:8080')).toBe(true);
    expect(guard.allowsHost('[::1]:8080')).toBe(true);
    expect(guard.allowsHost('127.0.0.1:8081')).toBe(false);
    expect(guard.allowsHost('evil.example:8080')).toBe(false);
    expect(guard.allowsHost(undefined)).toBe(false);
  });

  it('refuses a cross-site or missing Origin on the append', () => {
    expect(guard.allowsOrigin('http://127.0.0.1:8080')).toBe(true);
    expect(guard.allowsOrigin('http://localhost:8080')).toBe(true);
    expect(guard.allowsOrigin('https://evil.example')).toBe(false);
    expect(guard.allowsOrigin('http://127.0.0.1:8080.evil.example')).toBe(false);
    expect(guard.allowsOrigin('null')).toBe(false);
    expect(guard.allowsOrigin(undefined)).toBe(false);
  });

  it('refuses everything until it knows the port it listens on', () => {
    const unbound = new OriginGuard('127.0.0.1');
    expect(unbound.allowsHost('127.0.0.1:0')).toBe(false);
    unbound.listeningOn(43_210);
    expect(unbound.allowsHost('127.0.0.1:43210')).toBe(true);
  });

  it('adds the listen host when it is not loopback (INSECURE=1)', () => {
    expect(new OriginGuard('10.1.2.3', 80).allowsOrigin('http://10.1.2.3:80')).toBe(true);
  });
});

describe('page tokens', () => {
  it('verifies a token it issued, and each page gets a different one', () => {
    const tokens = new PageTokens();
    const first = tokens.issue();
    expect(tokens.verify(first)).toBe(true);
    expect(tokens.issue()).not.toBe(first);
  });

  it('refuses a forged, altered, missing or foreign token', () => {
    const tokens = new PageTokens();
    const token = tokens.issue();
    const [nonce, mac] = token.split('.') as [string, string];
    expect(tokens.verify(`${nonce}x.${mac}`)).toBe(false);
    expect(tokens.verify(`${nonce}.${mac.slice(0, -1)}A`)).toBe(mac.endsWith('A'));
    expect(tokens.verify(nonce)).toBe(false);
    expect(tokens.verify('')).toBe(false);
    expect(tokens.verify(undefined)).toBe(false);
    expect(new PageTokens().verify(token)).toBe(false);
  });
});
