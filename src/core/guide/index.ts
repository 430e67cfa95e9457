// The guide: one loader for the window (through main) and the CLI, plus region rules and terminal output.
export {
  GuideError,
  guideDir,
  helpTopicFor,
  loadGuide,
  parseTopic,
  searchGuide,
  sortTopics,
  topicsForRegion,
  type GuideMatch,
} from './loader.js'
export { localeFromEnv, parseRegion, regionFromLocale, resolveRegion, REGION_CODES_HELP } from './region.js'
export {
  markdownToPlainText,
  renderMarkdown,
  renderTopic,
  topicLinkTarget,
  wrap,
  type TerminalOptions,
} from './terminal.js'
