import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { connection } from 'next/server';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Maestro', template: '%s · Maestro' },
  description: 'An open web chat for tool-using AI agents.',
};

export const viewport: Viewport = {
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#17171a' },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page, the 404 page included, renders per request: Next puts the request's CSP nonce
  // (proxy.ts) on its scripts only then; a prerendered page's scripts would be blocked.
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
