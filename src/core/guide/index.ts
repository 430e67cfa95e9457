// The guide: one loader for the window (through main) and the CLI, plus region rules and terminal output.
// Region preparation and search are pure, in src/shared, so the window uses the very same rules.
export { helpTopicFor, sortTopics, topicsForRegion } from '../../shared/guide.js'
export { searchGuide, topicsMentioning, type GuideMatch } from '../../shared/guide-search.js'
export { GuideError, guideDir, loadGuide, parseTopic } from './loader.js'
export {
  localeFromEnv,
  parseRegion,
  regionChoice,
  regionFromLocale,
  resolveRegion,
  REGION_CODES_HELP,
  type RegionChoice,
} from './region.js'
export { renderMarkdown, renderTopic, wrap, type TerminalOptions } from './terminal.js'
