// Preloaded by tests (NODE_OPTIONS=--import) into mssi and, through the environment,
// into its workers: the package `webgpu` cannot be found, as after an install with
// --omit=optional. Only the resolution of that one specifier changes.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      if (specifier !== 'webgpu') return next(specifier, context);
      const err = new Error("Cannot find package 'webgpu' imported from " + context.parentURL);
      err.code = 'ERR_MODULE_NOT_FOUND';
      throw err;
    }`)}`,
);
