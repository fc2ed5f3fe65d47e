/**
 * The documented rule that carries v1's `dockerEntrypoint` / `dockerStartCmd` arrays on REST v2,
 * which has a single `args` string: the words are joined POSIX-shell style — a word made only of
 * `[A-Za-z0-9_@%+=:,./-]` is written as is, any other word (spaces, quotes, `$`, empty) is
 * single-quoted — and `args` read back is split with the same shell rules, so
 * `splitShellWords(joinShellWords(words))` returns `words` exactly.
 */

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one word so a POSIX shell reads it back as exactly that word. */
export function quoteShellWord(word: string): string {
  if (PLAIN.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `["python", "-c", "print('hi')"]` → `python -c 'print('\''hi'\'')'`. */
export function joinShellWords(words: readonly string[]): string {
  return words.map(quoteShellWord).join(" ");
}

/**
 * Splits a command line into words with POSIX shell quoting: single quotes are literal, double
 * quotes allow `\"`, `\\`, `\$` and `` \` `` escapes, a backslash outside quotes escapes the next
 * character. No expansion of any kind. An unterminated quote runs to the end of the string.
 */
export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === " " || c === "\t" || c === "\n") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      i++;
    } else if (c === "'") {
      inWord = true;
      const end = line.indexOf("'", i + 1);
      word += end === -1 ? line.slice(i + 1) : line.slice(i + 1, end);
      i = end === -1 ? line.length : end + 1;
    } else if (c === '"') {
      inWord = true;
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === "\\" && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) {
          word += line[i + 1];
          i += 2;
        } else {
          word += line[i++];
        }
      }
      i++; // closing quote
    } else if (c === "\\" && i + 1 < line.length) {
      inWord = true;
      word += line[i + 1];
      i += 2;
    } else {
      inWord = true;
      word += c;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
