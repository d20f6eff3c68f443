/**
 * Question → tool choice for the offline model. Pure functions of the question text, so the same
 * question always leads to the same decision.
 */

export type ToolIntent =
  | { toolName: 'calculator'; input: { expression: string } }
  | { toolName: 'current_time'; input: { timeZone: string } }
  | { toolName: 'list_files'; input: { path: string } }
  | { toolName: 'read_file'; input: { path: string } }
  | { toolName: 'write_file'; input: { path: string; content: string } };

export type OfflineToolName = ToolIntent['toolName'];

// ---------------------------------------------------------------------------------------------
// Time zones

/** Common place names → IANA zones. Keys are lower case; multi-word keys are matched as phrases. */
const PLACES: Record<string, string> = {
  utc: 'UTC',
  gmt: 'UTC',
  tokyo: 'Asia/Tokyo',
  japan: 'Asia/Tokyo',
  osaka: 'Asia/Tokyo',
  seoul: 'Asia/Seoul',
  korea: 'Asia/Seoul',
  'south korea': 'Asia/Seoul',
  beijing: 'Asia/Shanghai',
  shanghai: 'Asia/Shanghai',
  china: 'Asia/Shanghai',
  'hong kong': 'Asia/Hong_Kong',
  taipei: 'Asia/Taipei',
  taiwan: 'Asia/Taipei',
  singapore: 'Asia/Singapore',
  bangkok: 'Asia/Bangkok',
  thailand: 'Asia/Bangkok',
  jakarta: 'Asia/Jakarta',
  indonesia: 'Asia/Jakarta',
  manila: 'Asia/Manila',
  philippines: 'Asia/Manila',
  mumbai: 'Asia/Kolkata',
  delhi: 'Asia/Kolkata',
  'new delhi': 'Asia/Kolkata',
  bangalore: 'Asia/Kolkata',
  bengaluru: 'Asia/Kolkata',
  india: 'Asia/Kolkata',
  karachi: 'Asia/Karachi',
  pakistan: 'Asia/Karachi',
  dubai: 'Asia/Dubai',
  'abu dhabi': 'Asia/Dubai',
  uae: 'Asia/Dubai',
  riyadh: 'Asia/Riyadh',
  'saudi arabia': 'Asia/Riyadh',
  tehran: 'Asia/Tehran',
  iran: 'Asia/Tehran',
  'tel aviv': 'Asia/Jerusalem',
  jerusalem: 'Asia/Jerusalem',
  israel: 'Asia/Jerusalem',
  istanbul: 'Europe/Istanbul',
  turkey: 'Europe/Istanbul',
  moscow: 'Europe/Moscow',
  russia: 'Europe/Moscow',
  london: 'Europe/London',
  uk: 'Europe/London',
  'united kingdom': 'Europe/London',
  england: 'Europe/London',
  britain: 'Europe/London',
  edinburgh: 'Europe/London',
  dublin: 'Europe/Dublin',
  ireland: 'Europe/Dublin',
  lisbon: 'Europe/Lisbon',
  portugal: 'Europe/Lisbon',
  madrid: 'Europe/Madrid',
  barcelona: 'Europe/Madrid',
  spain: 'Europe/Madrid',
  paris: 'Europe/Paris',
  france: 'Europe/Paris',
  brussels: 'Europe/Brussels',
  belgium: 'Europe/Brussels',
  amsterdam: 'Europe/Amsterdam',
  netherlands: 'Europe/Amsterdam',
  berlin: 'Europe/Berlin',
  munich: 'Europe/Berlin',
  frankfurt: 'Europe/Berlin',
  hamburg: 'Europe/Berlin',
  germany: 'Europe/Berlin',
  zurich: 'Europe/Zurich',
  geneva: 'Europe/Zurich',
  switzerland: 'Europe/Zurich',
  vienna: 'Europe/Vienna',
  austria: 'Europe/Vienna',
  rome: 'Europe/Rome',
  milan: 'Europe/Rome',
  italy: 'Europe/Rome',
  prague: 'Europe/Prague',
  warsaw: 'Europe/Warsaw',
  poland: 'Europe/Warsaw',
  stockholm: 'Europe/Stockholm',
  sweden: 'Europe/Stockholm',
  oslo: 'Europe/Oslo',
  norway: 'Europe/Oslo',
  copenhagen: 'Europe/Copenhagen',
  denmark: 'Europe/Copenhagen',
  helsinki: 'Europe/Helsinki',
  finland: 'Europe/Helsinki',
  athens: 'Europe/Athens',
  greece: 'Europe/Athens',
  kyiv: 'Europe/Kyiv',
  kiev: 'Europe/Kyiv',
  ukraine: 'Europe/Kyiv',
  cairo: 'Africa/Cairo',
  egypt: 'Africa/Cairo',
  lagos: 'Africa/Lagos',
  nigeria: 'Africa/Lagos',
  nairobi: 'Africa/Nairobi',
  kenya: 'Africa/Nairobi',
  johannesburg: 'Africa/Johannesburg',
  'cape town': 'Africa/Johannesburg',
  'south africa': 'Africa/Johannesburg',
  'new york': 'America/New_York',
  nyc: 'America/New_York',
  boston: 'America/New_York',
  washington: 'America/New_York',
  miami: 'America/New_York',
  atlanta: 'America/New_York',
  toronto: 'America/Toronto',
  montreal: 'America/Toronto',
  chicago: 'America/Chicago',
  dallas: 'America/Chicago',
  houston: 'America/Chicago',
  denver: 'America/Denver',
  phoenix: 'America/Phoenix',
  'los angeles': 'America/Los_Angeles',
  la: 'America/Los_Angeles',
  'san francisco': 'America/Los_Angeles',
  seattle: 'America/Los_Angeles',
  vancouver: 'America/Vancouver',
  california: 'America/Los_Angeles',
  anchorage: 'America/Anchorage',
  alaska: 'America/Anchorage',
  honolulu: 'Pacific/Honolulu',
  hawaii: 'Pacific/Honolulu',
  'mexico city': 'America/Mexico_City',
  mexico: 'America/Mexico_City',
  bogota: 'America/Bogota',
  colombia: 'America/Bogota',
  lima: 'America/Lima',
  peru: 'America/Lima',
  santiago: 'America/Santiago',
  chile: 'America/Santiago',
  'buenos aires': 'America/Argentina/Buenos_Aires',
  argentina: 'America/Argentina/Buenos_Aires',
  'sao paulo': 'America/Sao_Paulo',
  'são paulo': 'America/Sao_Paulo',
  'rio de janeiro': 'America/Sao_Paulo',
  rio: 'America/Sao_Paulo',
  brazil: 'America/Sao_Paulo',
  sydney: 'Australia/Sydney',
  canberra: 'Australia/Sydney',
  melbourne: 'Australia/Melbourne',
  brisbane: 'Australia/Brisbane',
  perth: 'Australia/Perth',
  adelaide: 'Australia/Adelaide',
  australia: 'Australia/Sydney',
  auckland: 'Pacific/Auckland',
  wellington: 'Pacific/Auckland',
  'new zealand': 'Pacific/Auckland',
};

const UPPERCASE_ONLY = new Set(['la', 'uk']);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Place matchers, longest names first so that "new york" wins over "york" and "south africa" over
 * "africa". "LA" and "UK" count only in capitals, so "la" or "uk" inside prose does not.
 */
const PLACE_MATCHERS: Array<{ pattern: RegExp; zone: string }> = Object.entries(PLACES)
  .sort(([a], [b]) => b.length - a.length || (a < b ? -1 : 1))
  .map(([name, zone]) => ({
    pattern: UPPERCASE_ONLY.has(name)
      ? new RegExp(`\\b${escapeRegExp(name.toUpperCase())}\\b`, 'u')
      : new RegExp(`(?:^|[^\\p{L}])${escapeRegExp(name)}(?:$|[^\\p{L}])`, 'iu'),
    zone,
  }));

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The IANA zone a question refers to: an explicit zone name, a known place, or UTC. */
export function timeZoneFor(question: string): string {
  const explicit = question.match(/\b[A-Z][A-Za-z]+(?:\/[A-Z][A-Za-z_-]+){1,2}\b/);
  if (explicit && isValidTimeZone(explicit[0])) return explicit[0];
  for (const { pattern, zone } of PLACE_MATCHERS) {
    if (pattern.test(question)) return zone;
  }
  return 'UTC';
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

/** The mathjs functions an expression may call. */
const MATH_FUNCTIONS = [
  'sqrt',
  'cbrt',
  'abs',
  'round',
  'floor',
  'ceil',
  'fix',
  'sign',
  'exp',
  'log',
  'log10',
  'log2',
  'log1p',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'atan2',
  'sinh',
  'cosh',
  'tanh',
  'sec',
  'csc',
  'cot',
  'factorial',
  'gcd',
  'lcm',
  'max',
  'min',
  'mean',
  'median',
  'sum',
  'prod',
  'pow',
  'nthRoot',
  'hypot',
  'mod',
];

/** Function and constant names an expression may contain, lower case → mathjs name. */
const MATH_WORDS: Record<string, string> = Object.fromEntries(
  [...MATH_FUNCTIONS, 'pi', 'e', 'tau', 'phi', 'deg', 'rad', 'to'].map((word) => [word.toLowerCase(), word]),
);
MATH_WORDS.ln = 'log';

/** Units for conversions such as "5 cm to inch". */
const UNIT_WORDS = new Set([
  'inch',
  'inches',
  'cm',
  'mm',
  'km',
  'm',
  'mile',
  'miles',
  'mi',
  'ft',
  'feet',
  'foot',
  'yard',
  'yards',
  'kg',
  'g',
  'lb',
  'lbs',
  'oz',
  'degC',
  'degF',
  'celsius',
  'fahrenheit',
  'kelvin',
  'liter',
  'liters',
  'litre',
  'ml',
  'gallon',
  'gallons',
  'hour',
  'hours',
  'minute',
  'minutes',
  'second',
  'seconds',
  'day',
  'days',
  'week',
  'weeks',
]);
for (const unit of UNIT_WORDS) MATH_WORDS[unit.toLowerCase()] = unit;

const FUNCTION_WORDS = new Set(MATH_FUNCTIONS);

/** Rewrites spoken arithmetic ("3 times 4", "square root of 9", "15% of 80") into symbols. */
function symbolize(text: string): string {
  return text
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    .replace(/[×✕]/g, '*')
    .replace(/÷/g, '/')
    .replace(/−/g, '-')
    .replace(/\bsquare root of\s+(-?[\d.]+)/gi, 'sqrt($1)')
    .replace(/\bcube root of\s+(-?[\d.]+)/gi, 'cbrt($1)')
    .replace(/(\d(?:\.\d+)?)\s*(?:percent|%)\s+of\s+/gi, '$1% * ')
    .replace(/\b(?:multiplied by|times)\b/gi, '*')
    .replace(/\bdivided by\b/gi, '/')
    .replace(/\bplus\b/gi, '+')
    .replace(/\bminus\b/gi, '-')
    .replace(/\b(?:to the power of|raised to(?: the power of)?)\b/gi, '^')
    .replace(/\bsquared\b/gi, '^2')
    .replace(/\bcubed\b/gi, '^3')
    .replace(/(\d)\s*[xX]\s*(?=\d)/g, '$1 * ');
}

type Token = { kind: 'number' | 'word' | 'op' | 'space' | 'other'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/^%!(),])|(\s+)|(.)/gsu;
  for (const match of text.matchAll(pattern)) {
    if (match[1] !== undefined) tokens.push({ kind: 'number', text: match[1] });
    else if (match[2] !== undefined) tokens.push({ kind: 'word', text: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'op', text: match[3] });
    else if (match[4] !== undefined) tokens.push({ kind: 'space', text: ' ' });
    else tokens.push({ kind: 'other', text: match[5] ?? '' });
  }
  return tokens;
}

/** Drops parentheses that have no partner, e.g. the ")" of "(what is 2 + 2)". */
function balanceParentheses(expression: string): string {
  const chars = [...expression];
  const open: number[] = [];
  const drop = new Set<number>();
  chars.forEach((char, index) => {
    if (char === '(') open.push(index);
    else if (char === ')') {
      if (open.length > 0) open.pop();
      else drop.add(index);
    }
  });
  for (const index of open) drop.add(index);
  return chars.filter((_, index) => !drop.has(index)).join('');
}

/** The arithmetic expression in a question ("What is 17 * 23?" → "17 * 23"), or null if there is none. */
export function extractExpression(question: string): string | null {
  const tokens = tokenize(symbolize(question));
  const runs: Token[][] = [];
  let current: Token[] = [];
  for (const token of tokens) {
    const mathWord = token.kind === 'word' ? MATH_WORDS[token.text.toLowerCase()] : undefined;
    if (token.kind === 'number' || token.kind === 'op' || token.kind === 'space') current.push(token);
    else if (mathWord) current.push({ kind: 'word', text: mathWord });
    else {
      if (current.length > 0) runs.push(current);
      current = [];
    }
  }
  if (current.length > 0) runs.push(current);

  let best: string | null = null;
  for (const run of runs) {
    const hasNumber = run.some((token) => token.kind === 'number');
    const words = run.filter((token) => token.kind === 'word').map((token) => token.text);
    const hasFunction =
      words.some((word) => FUNCTION_WORDS.has(word)) || (words.includes('to') && words.some((word) => UNIT_WORDS.has(word)));
    const hasOperator = run.some((token, index) => {
      if (token.kind !== 'op' || token.text === '(' || token.text === ')' || token.text === ',') return false;
      // A leading sign alone ("-3") is not arithmetic; an operator after something is.
      return run.slice(0, index).some((before) => before.kind === 'number' || before.text === ')' || before.kind === 'word');
    });
    if (!hasNumber || !(hasOperator || hasFunction)) continue;
    const expression = balanceParentheses(
      run
        .map((token) => token.text)
        .join('')
        .trim()
        .replace(/[,\s]+$/, '')
        .replace(/^[*/^%!),\s]+/, ''),
    ).trim();
    if (!/\d/.test(expression)) continue;
    if (best === null || expression.length > best.length) best = expression;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Files

const FILE_TOKEN = /^(?:[\w.-]+\/)*[\w-][\w.-]*\.[A-Za-z][A-Za-z0-9]{0,9}$/;
const READ_VERB = /\b(read|open|show|display|print|cat|view|contents?|what(?:'s| is) in|inside|summari[sz]e|look at)\b/i;
const FOLDER_WORDS = /\b(files?|folders?|director(?:y|ies)|workspace|ls|tree)\b/i;
const NOT_A_FOLDER = new Set([
  'the',
  'a',
  'workspace',
  'there',
  'here',
  'it',
  'my',
  'your',
  'this',
  'that',
  'our',
  'folder',
  'directory',
  'total',
  'root',
  'all',
  'them',
  'which',
  'what',
]);

function cleanToken(token: string): string {
  return token.replace(/^[`"'“‘(<[]+/, '').replace(/[`"'”’)>\],;:!?.]+$/, '');
}

const PATH_TOKEN = /^[\w.~-]*\/[\w./~-]*[\w~-]$/;

/**
 * A file path mentioned in the question ("Read notes.md" → "notes.md"), or null. A token with an
 * extension always counts; with `anyPath`, so does any token with a slash ("../secret", "/etc/passwd"),
 * which the read_file tool then accepts or refuses.
 */
export function extractFilePath(question: string, anyPath = false): string | null {
  const tokens = question.split(/\s+/).map((raw) => cleanToken(raw));
  for (const raw of tokens) {
    const token = raw.replace(/^\.\//, '');
    if (token.length > 0 && token.length <= 512 && FILE_TOKEN.test(token) && !/^e\.g$|^i\.e$/i.test(token)) return token;
  }
  if (anyPath) {
    const pathLike = tokens.find((token) => token.length > 1 && token.length <= 512 && PATH_TOKEN.test(token) && /[A-Za-z]/.test(token));
    if (pathLike) return pathLike;
  }
  return null;
}

/** The folder a listing question is about ("What files are in data?" → "data"), "." for the workspace. */
export function extractFolder(question: string): string {
  const patterns = [
    /\b(?:in|under|inside|within|of)\s+(?:the\s+)?[`"']?([\w.-]+(?:\/[\w.-]+)*)\/?[`"']?\s+(?:sub)?(?:folder|directory|dir)\b/i,
    /\b(?:in|under|inside|within)\s+(?:the\s+)?[`"']?([\w.-]+(?:\/[\w.-]+)*\/?)[`"']?/i,
  ];
  for (const pattern of patterns) {
    const match = question.match(pattern);
    const candidate = match?.[1]?.replace(/\/+$/, '');
    if (candidate && !NOT_A_FOLDER.has(candidate.toLowerCase()) && !/^\.\.?$/.test(candidate)) return candidate;
  }
  return '.';
}

/** "Create a file hello.txt containing Hello": a verb that makes a file, then the content after a marker. */
const WRITE_VERB = /^\s*(?:please\s+)?(?:create|write|make|save|put)\b/i;
const CONTENT_MARKER = /\s(?:containing|that (?:says|contains)|saying|with(?: the)? (?:content|text))\s*:?\s+([\s\S]+)$/i;

/** Strips one pair of quotes around the content ("…", '…', “…”, `…`). */
function unquote(text: string): string {
  const trimmed = text.trim();
  const match = /^(["'“‘`])([\s\S]*)(["'”’`])$/.exec(trimmed);
  return match ? (match[2] ?? '') : trimmed;
}

/** A request to write a file ("Create a file hello.txt containing Hello, Maestro"), or null. */
export function extractWrite(question: string): { path: string; content: string } | null {
  if (!WRITE_VERB.test(question)) return null;
  const marker = CONTENT_MARKER.exec(question);
  if (!marker || marker.index === undefined) return null;
  const path = extractFilePath(question.slice(0, marker.index));
  const content = unquote(marker[1] ?? '');
  return path && content !== '' ? { path, content } : null;
}

// ---------------------------------------------------------------------------------------------
// The decision

const TIME_QUESTION =
  /\b(what(?:'s| is)? the (?:current |local )?(?:time|date)|what time|time is it|(?:current|local) (?:time|date)|(?:time|date) (?:in|at|for|now|right now|today)|today'?s date|date today|what day|which day|day is it|what year|time ?zone|clock)\b/i;
const NOT_A_TIME_QUESTION = /\b(?:time|date) (?:complexity|series|travel|management|limit|format|picker|stamp)/i;

/** The tool a question calls for, with its input, or null when it is a question for a text answer. */
export function detectIntent(question: string): ToolIntent | null {
  const text = question.trim();
  if (text === '') return null;

  const write = extractWrite(text);
  if (write) return { toolName: 'write_file', input: write };
  const readVerb = READ_VERB.test(text);
  const file = extractFilePath(text);
  if (file && (readVerb || text.split(/\s+/).length <= 3)) {
    return { toolName: 'read_file', input: { path: file } };
  }
  if (FOLDER_WORDS.test(text) && /\b(list|what|which|show|see|have|any|ls|tree|browse|contents?|are there)\b/i.test(text)) {
    return { toolName: 'list_files', input: { path: extractFolder(text) } };
  }
  const anyPath = readVerb ? extractFilePath(text, true) : null;
  if (anyPath) return { toolName: 'read_file', input: { path: anyPath } };
  const expression = extractExpression(text);
  const timeQuestion = TIME_QUESTION.test(text) && !NOT_A_TIME_QUESTION.test(text);
  if (timeQuestion && !(expression && /[-+*/^]/.test(expression))) {
    return { toolName: 'current_time', input: { timeZone: timeZoneFor(text) } };
  }
  if (expression) return { toolName: 'calculator', input: { expression } };
  return null;
}
