import type { ClassValidatorLike } from './dto-domains';

let loading: Promise<ClassValidatorLike | undefined> | undefined;

/**
 * class-validator, an optional peer dependency, or undefined when the app
 * does not have it. Loaded once: every resolution of a handler's domains (at
 * startup and at each refresh) reads the same metadata storage.
 */
export function loadClassValidator(): Promise<ClassValidatorLike | undefined> {
  loading ??= import('class-validator').then(
    (module: object) => {
      // Loaded from CommonJS, the named exports may sit on `default` only
      const fallback = (module as { default?: unknown }).default;
      return (fallback && typeof fallback === 'object' ? { ...fallback, ...module } : module) as ClassValidatorLike;
    },
    () => undefined,
  );
  return loading;
}
