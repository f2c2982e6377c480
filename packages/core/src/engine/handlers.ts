import type { HandlerRegistration, TaskHandler } from "./types.js";

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

/** Finds the handler of a resource ARN: the first registration that matches, exact names first. */
export class HandlerIndex {
  private readonly exact = new Map<string, TaskHandler>();
  private readonly patterns: { readonly re: RegExp; readonly handler: TaskHandler }[] = [];
  private readonly cache = new Map<string, TaskHandler | undefined>();

  constructor(registrations: readonly HandlerRegistration[] = []) {
    for (const r of registrations) {
      if (typeof r.resource === "string" && !r.resource.includes("*")) {
        if (!this.exact.has(r.resource)) this.exact.set(r.resource, r.handler);
      } else {
        this.patterns.push({
          re: typeof r.resource === "string" ? globToRegExp(r.resource) : r.resource,
          handler: r.handler,
        });
      }
    }
  }

  find(resource: string): TaskHandler | undefined {
    if (this.cache.has(resource)) return this.cache.get(resource);
    let handler = this.exact.get(resource);
    if (!handler) {
      for (const p of this.patterns) {
        p.re.lastIndex = 0;
        if (p.re.test(resource)) {
          handler = p.handler;
          break;
        }
      }
    }
    this.cache.set(resource, handler);
    return handler;
  }
}
