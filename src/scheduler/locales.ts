import { defineLocales } from "../core/i18n.ts";

/** Texts the scheduler itself writes (to the owner of a job that failed for good). */
export const schedulerLocales = defineLocales(
  "scheduler",
  {
    failed:
      "I could not deliver a scheduled message (due {{when}}) to {{targets}}, even after several tries. It has been recorded for the admin.",
    late: "Late: this was due {{when}}; the bot was not running then.",
  },
  {
    failed:
      "Eine geplante Nachricht (fällig {{when}}) konnte ich auch nach mehreren Versuchen nicht an {{targets}} zustellen. Sie ist für die Administration vermerkt.",
    late: "Verspätet: Das war fällig {{when}}; der Bot lief zu dieser Zeit nicht.",
  },
);
