// TypeDoc plugin (loaded by typedoc.json): every export of the kit's entry
// point must carry an `@example` in its doc comment. TypeDoc's own
// `notDocumented` validation only asks for *a* comment; with
// `treatWarningsAsErrors` these warnings fail `npm run docs`.
import { Application } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    for (const reflection of project.children ?? []) {
      const comments = [reflection.comment, ...(reflection.signatures ?? []).map((s) => s.comment)];
      if (!comments.some((comment) => comment?.getTag('@example'))) {
        app.logger.warn(`${reflection.name} is exported by src/testing/index.ts but its doc comment has no @example`);
      }
    }
  });
}
