/**
 * Enough of IAM policy evaluation to tell whether a role's own policies
 * allow an action on a resource: explicit Deny wins, then any Allow;
 * `*` and `?` wildcards; actions case-insensitive. Conditions, permission
 * boundaries and SCPs are not evaluated (a conditional Allow counts as an
 * Allow, and is reported). Used when iam:SimulatePrincipalPolicy is not
 * available (emulators, or not permitted).
 */

export interface PolicyStatement {
  readonly Effect?: string;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: unknown;
}

export interface PolicyDocument {
  readonly Statement?: PolicyStatement | readonly PolicyStatement[];
}

export type Decision = "allowed" | "denied" | "implicitDeny";

function list(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === "string" ? [value] : value;
}

function statements(doc: PolicyDocument): readonly PolicyStatement[] {
  const s = doc.Statement;
  return s === undefined ? [] : Array.isArray(s) ? s : [s as PolicyStatement];
}

/**
 * IAM wildcard match. A `*` in `value` (a required resource such as
 * `job-definition/x:*`) is a literal character here, so a policy covers it
 * only with a `*` of its own: "allows every revision" needs `x:*` or wider.
 */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, ignoreCase ? "is" : "s").test(value);
}

function matchesAction(s: PolicyStatement, action: string): boolean {
  if (s.Action !== undefined) return list(s.Action).some((p) => wildcardMatch(p, action, true));
  if (s.NotAction !== undefined) return !list(s.NotAction).some((p) => wildcardMatch(p, action, true));
  return false;
}

function matchesResource(s: PolicyStatement, resource: string): boolean {
  if (s.Resource !== undefined) return list(s.Resource).some((p) => wildcardMatch(p, resource));
  if (s.NotResource !== undefined) return !list(s.NotResource).some((p) => wildcardMatch(p, resource));
  return false;
}

export interface Evaluation {
  readonly decision: Decision;
  /** The deciding Allow has a Condition, which was not evaluated. */
  readonly conditional: boolean;
}

export function evaluate(documents: readonly PolicyDocument[], action: string, resource: string): Evaluation {
  let allowed = false;
  let conditional = true;
  for (const doc of documents) {
    for (const s of statements(doc)) {
      if (!matchesAction(s, action) || !matchesResource(s, resource)) continue;
      if (s.Effect === "Deny" && s.Condition === undefined) return { decision: "denied", conditional: false };
      if (s.Effect === "Allow") {
        allowed = true;
        if (s.Condition === undefined) conditional = false;
      }
    }
  }
  return allowed ? { decision: "allowed", conditional } : { decision: "implicitDeny", conditional: false };
}

/** Does a trust policy let `service` assume the role? */
export function trusts(document: PolicyDocument, service: string): boolean {
  return statements(document).some((s) => {
    if (s.Effect !== "Allow") return false;
    if (!list(s.Action).some((a) => wildcardMatch(a, "sts:AssumeRole", true))) return false;
    const principal = (s as { Principal?: unknown }).Principal;
    if (principal === "*") return true;
    if (principal === null || typeof principal !== "object") return false;
    const services = (principal as { Service?: string | readonly string[] }).Service;
    return list(services).includes(service);
  });
}

/** Policy documents come URL-encoded from IAM's Query API. */
export function parsePolicy(text: string | undefined): PolicyDocument {
  if (text === undefined || text === "") return {};
  for (const candidate of [text, safeDecode(text)]) {
    try {
      return JSON.parse(candidate) as PolicyDocument;
    } catch {
      // try the decoded form
    }
  }
  return {};
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
