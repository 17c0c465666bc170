// Escaping a concrete path for use as a glob, kept apart from globs.ts so that code which only
// normalises paths (core/paths.ts, on every edit) does not load picomatch.

/** Escapes glob syntax so a concrete file name such as `app/[id]/page.tsx` means itself. */
export const escapeGlob = (path: string): string => path.replace(/[*?[\]{}()!\\]/g, '\\$&');
