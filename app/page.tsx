import { randomBytes } from 'node:crypto';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';

/** Starts a new chat: every visit gets a fresh chat id (URL-safe, 128 random bits). */
export default async function NewChatPage() {
  await connection(); // never prerender: each request needs its own id
  redirect(`/chat/${randomBytes(16).toString('base64url')}`);
}
