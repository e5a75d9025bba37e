// A real OpenID Connect provider (panva/oidc-provider) for the single sign-on tests.
// Started by tests/security/test_oidc.py on 127.0.0.1 with:
//   PORT                 the port to listen on
//   OIDC_CLIENTS         JSON list of clients (client_id, client_secret, redirect_uris, post_logout_redirect_uris)
//   OIDC_ACCOUNTS        JSON map account id -> extra claims (email, municipality, role)
//   OIDC_EXPIRED_CLIENTS JSON list of client ids whose ID tokens are issued already expired
// Interactions are oidc-provider's own development login and consent pages (any password).
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.OIDC_CLIENTS || '[]');
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');
const expired = new Set(JSON.parse(process.env.OIDC_EXPIRED_CLIENTS || '[]'));

const provider = new Provider(issuer, {
  clients,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'municipality', 'role'],
  },
  conformIdTokenClaims: false, // scope claims in the ID token (the app reads the ID token only)
  ttl: {
    // a provider (or a clock) gone wrong: tokens that are expired when they arrive
    IdToken: (ctx, token, client) => (expired.has(client.clientId) ? -600 : 3600),
  },
  cookies: { keys: ['test-only-cookie-key'] },
  async findAccount(ctx, id) {
    const extra = accounts[id] || {};
    return {
      accountId: id,
      async claims() {
        return { sub: id, email_verified: true, ...extra };
      },
    };
  },
});
provider.proxy = false;

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
