import { defineLocales, I18n } from "../../core/i18n.ts";

/** Texts the Discord adapter writes itself: missing permissions, old buttons, closed DMs. */
export const discordLocales = defineLocales(
  "discord",
  {
    cannotPost:
      "I cannot post in this channel: I am missing {{missing}} here. Please ask a moderator to give Teambot these permissions in the channel's settings. Nothing was changed.",
    privateThread:
      "I am not in this private thread, so I cannot post here. Add me by mentioning Teambot in the thread, or use the channel. Nothing was changed.",
    permission: {
      viewChannel: "View Channel",
      sendMessages: "Send Messages",
      sendMessagesInThreads: "Send Messages in Threads",
    },
    unknownButton:
      "This button does nothing any more (it may come from an older version of Teambot). Type / and pick the command instead; /help lists them.",
    dmsClosed:
      "I cannot send you direct messages, your privacy settings for this server do not allow them. To get reminders and alerts privately, allow direct messages from server members (click the server name, then Privacy Settings).",
  },
  {
    cannotPost:
      "Ich kann in diesem Kanal nichts posten: mir fehlt hier {{missing}}. Bitte eine Moderatorin oder einen Moderator, Teambot diese Berechtigungen in den Kanaleinstellungen zu geben. Es wurde nichts geändert.",
    privateThread:
      "Ich bin nicht in diesem privaten Thread und kann hier nichts posten. Füge mich hinzu, indem du Teambot im Thread erwähnst, oder nutze den Kanal. Es wurde nichts geändert.",
    permission: {
      viewChannel: "„Kanal ansehen“",
      sendMessages: "„Nachrichten senden“",
      sendMessagesInThreads: "„Nachrichten in Threads senden“",
    },
    unknownButton:
      "Dieser Knopf tut nichts mehr (er stammt vielleicht von einer älteren Teambot-Version). Tippe / und wähle den Befehl; /help listet alle auf.",
    dmsClosed:
      "Ich kann dir keine Direktnachrichten schicken, deine Privatsphäre-Einstellungen für diesen Server lassen sie nicht zu. Damit dich Erinnerungen und Alarme privat erreichen, erlaube Direktnachrichten von Servermitgliedern (auf den Servernamen klicken, dann Privatsphäre-Einstellungen).",
  },
);

export const discordI18n = new I18n([discordLocales]);
