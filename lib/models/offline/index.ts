export { createOfflineModel, OfflineLanguageModel, splitWords, type OfflineModelOptions } from '@/lib/models/offline/model';
export { planResponse, type Plan } from '@/lib/models/offline/plan';
export { detectIntent, extractExpression, timeZoneFor, type ToolIntent } from '@/lib/models/offline/intent';
