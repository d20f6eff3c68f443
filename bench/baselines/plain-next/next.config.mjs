import path from 'node:path';

// The plain route as its own Next.js app, built and served by the benchmark (never deployed):
// the route one would otherwise write, on the same framework as Maestro.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ['mathjs'],
  poweredByHeader: false,
  // It uses Maestro's offline model and tools from the repository around it.
  turbopack: { root: path.resolve(import.meta.dirname, '../../..') },
  // The repository's own `tsc` checks this code.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
