/** @type {import('next').NextConfig} */
const nextConfig = {
  // node:sqlite and the provider SDKs stay as runtime requires on the server.
  serverExternalPackages: ['mathjs', 'ioredis', 'pg'],
  poweredByHeader: false,
};

export default nextConfig;
