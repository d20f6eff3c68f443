// Refuses, in one line, a Node.js too old to run Maestro (it needs node:sqlite and what the AI SDK
// uses): npm runs this before `dev`, `build` and `start` (`npm install` refuses by itself: .npmrc
// sets engine-strict). Plain old JavaScript on purpose, so that any Node can run it.
var required = [22, 13];
var found = process.versions.node.split('.').map(Number);
if (found[0] < required[0] || (found[0] === required[0] && found[1] < required[1])) {
  console.error(
    'Maestro needs Node.js ' +
      required.join('.') +
      ' or newer (24 recommended, see .nvmrc); this is ' +
      process.version +
      '. Install it from https://nodejs.org or with a version manager (`nvm install`, `fnm use`), then run npm again.',
  );
  process.exit(1);
}
