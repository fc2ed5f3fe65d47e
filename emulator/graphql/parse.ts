// A small parser for GraphQL executable documents: operations, variables, arguments with
// literals or variables, nested selections, aliases, __typename. Enough for the secret operations.

// ------------------------------------------------------------------------------ lexer

type Tok = { kind: "punct" | "name" | "int" | "float" | "string" | "eof"; value: string; pos: number };

export class GraphQLSyntaxError extends Error {}

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === "#") {
      while (i < src.length && src[i] !== "\n") i++;
      continue;
    }
    if (/[\s,\ufeff]/.test(ch)) {
      i++;
      continue;
    }
    if (src.startsWith("...", i)) {
      toks.push({ kind: "punct", value: "...", pos: i });
      i += 3;
      continue;
    }
    if ("!$()[]{}:=@|&".includes(ch)) {
      toks.push({ kind: "punct", value: ch, pos: i });
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
      toks.push({ kind: "name", value: m![0], pos: i });
      i += m![0].length;
      continue;
    }
    if (/[-0-9]/.test(ch)) {
      const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(i));
      if (!m) throw new GraphQLSyntaxError(`Syntax Error: Invalid number at position ${i}.`);
      toks.push({ kind: m[2] || m[3] ? "float" : "int", value: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    if (src.startsWith('"""', i)) {
      const end = src.indexOf('"""', i + 3);
      if (end < 0) throw new GraphQLSyntaxError(`Syntax Error: Unterminated string at position ${i}.`);
      toks.push({ kind: "string", value: src.slice(i + 3, end).replace(/\\"""/g, '"""'), pos: i });
      i = end + 3;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let out = "";
      for (;;) {
        if (j >= src.length || src[j] === "\n") throw new GraphQLSyntaxError(`Syntax Error: Unterminated string at position ${i}.`);
        const c = src[j];
        if (c === '"') break;
        if (c === "\\") {
          const n = src[j + 1];
          const map: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
          if (n === "u") {
            out += String.fromCharCode(parseInt(src.slice(j + 2, j + 6), 16));
            j += 6;
            continue;
          }
          if (map[n] === undefined) throw new GraphQLSyntaxError(`Syntax Error: Invalid escape at position ${j}.`);
          out += map[n];
          j += 2;
          continue;
        }
        out += c;
        j++;
      }
      toks.push({ kind: "string", value: out, pos: i });
      i = j + 1;
      continue;
    }
    throw new GraphQLSyntaxError(`Syntax Error: Unexpected character "${ch}" at position ${i}.`);
  }
  toks.push({ kind: "eof", value: "", pos: src.length });
  return toks;
}

// ------------------------------------------------------------------------------ parser

export type Value =
  { kind: "var"; name: string } | { kind: "literal"; value: unknown } | { kind: "list"; items: Value[] } | { kind: "object"; fields: Array<[string, Value]> };

export interface Field {
  alias: string;
  name: string;
  args: Array<[string, Value]>;
  selections: Field[] | null;
}

export interface Operation {
  type: "query" | "mutation" | "subscription";
  name: string | null;
  variables: Array<{ name: string; type: string; defaultValue?: Value }>;
  selections: Field[];
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.i];
  }
  private next(): Tok {
    return this.toks[this.i++];
  }
  private expect(kind: Tok["kind"], value?: string): Tok {
    const t = this.next();
    if (t.kind !== kind || (value !== undefined && t.value !== value)) {
      throw new GraphQLSyntaxError(`Syntax Error: Expected ${value ?? kind}, found ${t.kind === "eof" ? "<EOF>" : `"${t.value}"`}.`);
    }
    return t;
  }
  private isPunct(v: string): boolean {
    const t = this.peek();
    return t.kind === "punct" && t.value === v;
  }

  document(): Operation[] {
    const ops: Operation[] = [];
    while (this.peek().kind !== "eof") {
      const t = this.peek();
      if (t.kind === "name" && t.value === "fragment") {
        throw new GraphQLSyntaxError("Fragments are not supported by runpod-emulator.");
      }
      ops.push(this.operation());
    }
    if (!ops.length) throw new GraphQLSyntaxError("Syntax Error: Unexpected <EOF>.");
    return ops;
  }

  private operation(): Operation {
    if (this.isPunct("{")) return { type: "query", name: null, variables: [], selections: this.selectionSet() };
    const t = this.expect("name");
    if (t.value !== "query" && t.value !== "mutation" && t.value !== "subscription") {
      throw new GraphQLSyntaxError(`Syntax Error: Unexpected Name "${t.value}".`);
    }
    let name: string | null = null;
    if (this.peek().kind === "name") name = this.next().value;
    const variables: Operation["variables"] = [];
    if (this.isPunct("(")) {
      this.next();
      while (!this.isPunct(")")) {
        this.expect("punct", "$");
        const vname = this.expect("name").value;
        this.expect("punct", ":");
        const type = this.type();
        let defaultValue: Value | undefined;
        if (this.isPunct("=")) {
          this.next();
          defaultValue = this.value(true);
        }
        variables.push({ name: vname, type, defaultValue });
      }
      this.next();
    }
    this.directives();
    return { type: t.value, name, variables, selections: this.selectionSet() };
  }

  private type(): string {
    let out: string;
    if (this.isPunct("[")) {
      this.next();
      out = `[${this.type()}]`;
      this.expect("punct", "]");
    } else {
      out = this.expect("name").value;
    }
    if (this.isPunct("!")) {
      this.next();
      out += "!";
    }
    return out;
  }

  private directives(): void {
    while (this.isPunct("@")) {
      this.next();
      this.expect("name");
      if (this.isPunct("(")) this.args();
    }
  }

  private selectionSet(): Field[] {
    this.expect("punct", "{");
    const out: Field[] = [];
    while (!this.isPunct("}")) {
      if (this.isPunct("...")) throw new GraphQLSyntaxError("Fragments are not supported by runpod-emulator.");
      let name = this.expect("name").value;
      const alias = name;
      if (this.isPunct(":")) {
        this.next();
        name = this.expect("name").value;
      }
      const args = this.isPunct("(") ? this.args() : [];
      this.directives();
      const selections = this.isPunct("{") ? this.selectionSet() : null;
      out.push({ alias, name, args, selections });
    }
    this.next();
    if (!out.length) throw new GraphQLSyntaxError('Syntax Error: Expected Name, found "}".');
    return out;
  }

  private args(): Array<[string, Value]> {
    this.expect("punct", "(");
    const out: Array<[string, Value]> = [];
    while (!this.isPunct(")")) {
      const n = this.expect("name").value;
      this.expect("punct", ":");
      out.push([n, this.value(false)]);
    }
    this.next();
    return out;
  }

  private value(constOnly: boolean): Value {
    const t = this.peek();
    if (t.kind === "punct" && t.value === "$") {
      if (constOnly) throw new GraphQLSyntaxError("Syntax Error: Unexpected variable in a constant value.");
      this.next();
      return { kind: "var", name: this.expect("name").value };
    }
    if (t.kind === "punct" && t.value === "[") {
      this.next();
      const items: Value[] = [];
      while (!this.isPunct("]")) items.push(this.value(constOnly));
      this.next();
      return { kind: "list", items };
    }
    if (t.kind === "punct" && t.value === "{") {
      this.next();
      const fields: Array<[string, Value]> = [];
      while (!this.isPunct("}")) {
        const n = this.expect("name").value;
        this.expect("punct", ":");
        fields.push([n, this.value(constOnly)]);
      }
      this.next();
      return { kind: "object", fields };
    }
    this.next();
    switch (t.kind) {
      case "int":
        return { kind: "literal", value: parseInt(t.value, 10) };
      case "float":
        return { kind: "literal", value: parseFloat(t.value) };
      case "string":
        return { kind: "literal", value: t.value };
      case "name":
        if (t.value === "true") return { kind: "literal", value: true };
        if (t.value === "false") return { kind: "literal", value: false };
        if (t.value === "null") return { kind: "literal", value: null };
        return { kind: "literal", value: t.value }; // enum value
      default:
        throw new GraphQLSyntaxError(`Syntax Error: Unexpected ${t.kind === "eof" ? "<EOF>" : `"${t.value}"`}.`);
    }
  }
}

export function parseDocument(src: string): Operation[] {
  return new Parser(lex(src)).document();
}
