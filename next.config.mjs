/**
 * Headers of every response, static files included. The Content-Security-Policy needs a nonce per
 * request, so proxy.ts sets it.
 */
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  // Not 'no-referrer': that would send `Origin: null` on the app's own POSTs.
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
];

/**
 * API routes answer JSON and event streams, which load nothing: their policy allows nothing. Pages
 * get theirs, with a nonce, from proxy.ts.
 */
const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** @type {import('next').NextConfig} */
const nextConfig = {
  // node:sqlite and the provider SDKs stay as runtime requires on the server.
  serverExternalPackages: ['mathjs', 'ioredis', 'pg'],
  poweredByHeader: false,
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: apiContentSecurityPolicy }] },
    ];
  },
};

export default nextConfig;
