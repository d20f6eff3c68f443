import net from 'node:net';

/*
 * Which IP addresses the fetcher may connect to: parsed to bytes, judged by any embedded IPv4 address (mapped,
 * NAT64, 6to4…), refused in any non-public range. Nothing in the configuration can loosen it.
 */

export type ParsedIp = { version: 4 | 6; bytes: Uint8Array };

type Range = { version: 4 | 6; bytes: Uint8Array; prefix: number; reason: string };

/** Strict dotted-decimal IPv4 (what `new URL()` and the resolver produce) into its 4 bytes. */
function parseIPv4(text: string): Uint8Array | undefined {
  if (!net.isIPv4(text)) return undefined;
  return Uint8Array.from(text.split('.').map((part) => Number(part)));
}

/** Any valid IPv6 text (compressed, with an IPv4 tail, with a zone) into its 16 bytes. */
function parseIPv6(input: string): Uint8Array | undefined {
  const text = input.replace(/%.*$/, '');
  if (!net.isIPv6(text)) return undefined;
  let head = text;
  let tail: Uint8Array | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail = parseIPv4(text.slice(lastColon + 1));
    if (!tail) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): string[] => (part === '' ? [] : part.split(':'));
  let groups: string[];
  if (halves.length === 2) {
    const left = groupsOf(halves[0] ?? '');
    const right = groupsOf(halves[1] ?? '');
    const missing = 8 - left.length - right.length;
    if (missing < 1) return undefined;
    groups = [...left, ...Array.from({ length: missing }, () => '0'), ...right];
  } else {
    groups = groupsOf(head);
  }
  if (groups.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((group, index) => {
    const value = Number.parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  });
  if (tail) bytes.set(tail, 12);
  return bytes;
}

/** An IP address in canonical text form (brackets and an IPv6 zone are tolerated) into its bytes. */
export function parseIp(text: string): ParsedIp | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = parseIPv4(bare);
  if (v4) return { version: 4, bytes: v4 };
  const v6 = parseIPv6(bare);
  if (v6) return { version: 6, bytes: v6 };
  return undefined;
}

function range(cidr: string, reason: string): Range {
  const [address = '', prefixText = ''] = cidr.split('/');
  const parsed = parseIp(address);
  if (!parsed) throw new Error(`bad range ${cidr}`);
  return { ...parsed, prefix: Number(prefixText), reason };
}

function inRange(ip: ParsedIp, r: Range): boolean {
  if (ip.version !== r.version) return false;
  let bits = r.prefix;
  for (let i = 0; bits > 0; i += 1, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((ip.bytes[i] ?? 0) & mask) !== ((r.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

const BLOCKED_V4: Range[] = [
  range('0.0.0.0/8', 'an unspecified ("this network") address'),
  range('10.0.0.0/8', 'a private address'),
  range('100.64.0.0/10', 'a carrier-grade NAT (shared) address'),
  range('127.0.0.0/8', 'a loopback address'),
  range('169.254.169.254/32', 'the cloud metadata address'),
  range('169.254.0.0/16', 'a link-local address'),
  range('172.16.0.0/12', 'a private address'),
  range('192.0.0.0/24', 'an IETF protocol assignment address'),
  range('192.0.2.0/24', 'a documentation address'),
  range('192.88.99.0/24', 'a 6to4 relay anycast address'),
  range('192.168.0.0/16', 'a private address'),
  range('198.18.0.0/15', 'a benchmarking address'),
  range('198.51.100.0/24', 'a documentation address'),
  range('203.0.113.0/24', 'a documentation address'),
  range('168.63.129.16/32', 'the Azure platform (metadata) address'),
  range('224.0.0.0/4', 'a multicast address'),
  range('255.255.255.255/32', 'the broadcast address'),
  range('240.0.0.0/4', 'a reserved address'),
];

/** IPv6 ranges whose last 32 bits (or bits 16..47 for 6to4) are an IPv4 address that decides. */
const EMBEDDING_V6: { range: Range; offset: number }[] = [
  { range: range('::ffff:0:0/96', 'IPv4-mapped'), offset: 12 },
  { range: range('::ffff:0:0:0/96', 'IPv4-translated'), offset: 12 },
  { range: range('64:ff9b::/96', 'NAT64'), offset: 12 },
  { range: range('2002::/16', '6to4'), offset: 2 },
];

const BLOCKED_V6: Range[] = [
  range('::/128', 'the unspecified address'),
  range('::1/128', 'the loopback address'),
  range('::/96', 'an IPv4-compatible (deprecated) address'),
  range('64:ff9b:1::/48', 'a local-use NAT64 address'),
  range('100::/64', 'a discard-only address'),
  range('2001::/23', 'an IETF protocol assignment address (Teredo, ORCHID, ...)'),
  range('2001:db8::/32', 'a documentation address'),
  range('3fff::/20', 'a documentation address'),
  range('fc00::/7', 'a unique-local (private) address'),
  range('fec0::/10', 'a site-local (deprecated) address'),
  range('fe80::/10', 'a link-local address'),
  range('ff00::/8', 'a multicast address'),
];

const GLOBAL_UNICAST_V6 = range('2000::/3', 'global unicast');

/**
 * Why `address` may not be connected to, or undefined when it is a public address. Text that is not a
 * canonical IP address is refused too (callers pass resolver output or a URL's normalised host).
 */
export function blockedAddressReason(address: string): string | undefined {
  const ip = parseIp(address);
  if (!ip) return 'not a valid IP address';
  if (ip.version === 4) return BLOCKED_V4.find((r) => inRange(ip, r))?.reason;
  for (const { range: embedding, offset } of EMBEDDING_V6) {
    if (!inRange(ip, embedding)) continue;
    const v4: ParsedIp = { version: 4, bytes: ip.bytes.slice(offset, offset + 4) };
    const inner = BLOCKED_V4.find((r) => inRange(v4, r))?.reason;
    return inner ? `${inner} (${embedding.reason} ${Array.from(v4.bytes).join('.')})` : undefined;
  }
  const reason = BLOCKED_V6.find((r) => inRange(ip, r))?.reason;
  if (reason) return reason;
  return inRange(ip, GLOBAL_UNICAST_V6) ? undefined : 'not a global unicast address';
}

/** The strict default policy: only public unicast addresses. */
export function isPublicAddress(address: string): boolean {
  return blockedAddressReason(address) === undefined;
}

/** Host names that name the machine itself, the local network or a cloud metadata service. */
const BLOCKED_NAMES = new Set([
  'localhost',
  'localhost.localdomain',
  'ip6-localhost',
  'ip6-loopback',
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.com',
  'instance-data',
  'instance-data.ec2.internal',
]);
const BLOCKED_SUFFIXES = ['.localhost', '.local', '.localdomain', '.internal', '.home.arpa', '.lan', '.intranet'];

/**
 * Why a (lower-case, trailing-dot-free, non-IP) host name is refused before it is even resolved, or
 * undefined. Single-label names are refused too: the resolver would complete them with the server's
 * search domains, i.e. inside its own network.
 */
export function blockedHostnameReason(hostname: string): string | undefined {
  if (BLOCKED_NAMES.has(hostname)) return 'a local or cloud-metadata host name';
  if (BLOCKED_SUFFIXES.some((suffix) => hostname.endsWith(suffix))) return 'a local or internal host name';
  if (!hostname.includes('.')) return 'a single-label (intranet) host name';
  return undefined;
}
