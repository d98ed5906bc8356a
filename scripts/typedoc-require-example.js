// TypeDoc plugin (loaded by typedoc.json): every export of the kit's entry
// points must carry an `@example` in its doc comment. TypeDoc's own
// `notDocumented` validation only asks for *a* comment; with
// `treatWarningsAsErrors` these warnings fail `npm run docs`.
import { Application, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    // With several entry points the project's children are modules, one per
    // entry point, and the exports are their children; with one, the exports.
    const modules = (project.children ?? []).filter((child) => child.kindOf(ReflectionKind.Module));
    const exports = modules.length ? modules.flatMap((module) => (module.children ?? []).map((child) => [module.name, child])) : (project.children ?? []).map((child) => ['index', child]);
    for (const [moduleName, reflection] of exports) {
      // A re-export of another entry point's declaration: that one carries the example.
      if (reflection.kindOf(ReflectionKind.Reference)) continue;
      const comments = [reflection.comment, ...(reflection.signatures ?? []).map((s) => s.comment)];
      if (!comments.some((comment) => comment?.getTag('@example'))) {
        app.logger.warn(`${reflection.name} is exported by src/testing/${moduleName}.ts but its doc comment has no @example`);
      }
    }
  });
}
