import { TokenSigner } from '../../adapters/directline/tokens';

describe('TokenSigner', () => {
  const key = Buffer.from('0123456789abcdef0123456789abcdef');
  let now = 1_000_000;
  const signer = new TokenSigner(key, 1800, () => now);

  it('issues a token that opens its own conversation for its own user', () => {
    const check = signer.check(signer.issue('conv-a', 'dl_user'));
    expect(check).toEqual({ ok: true, claims: { conversationId: 'conv-a', userId: 'dl_user', exp: now + 1800 } });
  });

  it('refuses an expired token', () => {
    const token = signer.issue('conv-a', 'dl_user');
    now += 1801;
    expect(signer.check(token)).toEqual({ ok: false, reason: 'token has expired' });
  });

  it('refuses a token whose payload was changed to another conversation', () => {
    const [head, payload, signature] = signer.issue('conv-a', 'dl_user').split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, conv: 'conv-b' })).toString('base64url');
    expect(signer.check(`${head}.${forged}.${signature}`)).toEqual({ ok: false, reason: 'token signature is invalid' });
  });

  it('refuses a token signed with another key', () => {
    const other = new TokenSigner(Buffer.from('another-key-another-key-another-k'), 1800, () => now);
    expect(signer.check(other.issue('conv-a', 'dl_user'))).toEqual({ ok: false, reason: 'token signature is invalid' });
  });

  it.each(['', 'abc', 'a.b', 'a.b.c.d', 'eyJhbGciOiJub25lIn0.e30.'])('refuses malformed token %j', (token) => {
    expect(signer.check(token).ok).toBe(false);
  });
});
