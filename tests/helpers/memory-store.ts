import type { EventStore, PushOutcome, StoryQuery, SubscriptionStore } from '#shared/ports.ts';
import type { Article, DyadState, FeedState, Story, WebSubSubscription } from '#shared/domain/types.ts';
import type { AlertBasis, AlertClaim } from '#shared/domain/alert-decision.ts';

/** An in-memory EventStore with the same conditional semantics as the DynamoDB adapter; counts writes. */
export class MemoryEventStore implements EventStore {
  readonly articles = new Map<string, Article>();
  readonly stories = new Map<string, Story>();
  readonly feeds = new Map<string, FeedState>();
  readonly alerts = new Map<string, { status: string; claimedAt: string; basis?: AlertBasis; token?: string }>();
  readonly dyads = new Map<string, DyadState>();
  readonly alertCounts = new Map<string, number>();
  writes = 0;

  async getDyadState(dyad: string) {
    const s = this.dyads.get(dyad);
    return s ? structuredClone(s) : null;
  }
  async putDyadState(state: DyadState, expectedVersion: number) {
    this.writes++;
    if ((this.dyads.get(state.dyad)?.version ?? 0) !== expectedVersion) return false;
    this.dyads.set(state.dyad, structuredClone({ ...state, version: expectedVersion + 1 }));
    return true;
  }
  async countAlert(hour: string) {
    this.writes++;
    const n = (this.alertCounts.get(hour) ?? 0) + 1;
    this.alertCounts.set(hour, n);
    return n;
  }

  async getFeedStates(ids: string[]) {
    return new Map(ids.filter((id) => this.feeds.has(id)).map((id) => [id, structuredClone(this.feeds.get(id) as FeedState)]));
  }
  async putFeedState(state: FeedState) {
    this.writes++;
    this.feeds.set(state.feedId, structuredClone(JSON.parse(JSON.stringify(state))));
  }
  async existingArticleIds(ids: string[]) {
    return new Set(ids.filter((id) => this.articles.has(id)));
  }
  async putArticleIfNew(article: Article) {
    this.writes++;
    if (this.articles.has(article.articleId)) return false;
    this.articles.set(article.articleId, structuredClone(article));
    return true;
  }
  async storiesInWindow(dyad: string, since: string, until: string) {
    return [...this.stories.values()].filter((s) => s.dyad === dyad && s.firstSeen >= since && s.firstSeen <= until).map((s) => structuredClone(s));
  }
  async getStory(id: string) {
    const s = this.stories.get(id);
    return s ? structuredClone(s) : null;
  }
  async putStory(story: Story, expectedVersion: number) {
    this.writes++;
    const current = this.stories.get(story.storyId);
    if ((current?.version ?? 0) !== expectedVersion) return false;
    this.stories.set(story.storyId, structuredClone({ ...story, version: expectedVersion + 1 }));
    return true;
  }
  readonly retired = new Map<string, string>();
  async retireStory(storyId: string, expectedVersion: number, mergedInto: string) {
    this.writes++;
    const current = this.stories.get(storyId);
    if (current && current.version !== expectedVersion) return false;
    this.stories.delete(storyId);
    this.retired.set(storyId, mergedInto);
    return true;
  }
  async mergedInto(storyId: string) {
    return this.retired.get(storyId) ?? null;
  }
  async claimAlert(storyId: string, level: number, now: string, leaseSeconds: number, status: 'claimed' | 'suppressed' = 'claimed', basis?: AlertBasis, token?: string) {
    this.writes++;
    const key = `${storyId}/${level}`;
    const held = this.alerts.get(key);
    if (held && !(held.status === 'claimed' && Date.parse(held.claimedAt) < Date.parse(now) - leaseSeconds * 1000)) return false;
    this.alerts.set(key, { status, claimedAt: now, ...(basis ? { basis: structuredClone(basis) } : {}), ...(token ? { token } : {}) });
    return true;
  }
  async alertClaims(storyIds: string[]): Promise<AlertClaim[]> {
    return [...this.alerts.entries()]
      .map(([k, v]) => ({ storyId: k.slice(0, k.lastIndexOf('/')), level: Number(k.slice(k.lastIndexOf('/') + 1)), status: v.status as AlertClaim['status'], claimedAt: v.claimedAt, ...(v.basis ? { basis: structuredClone(v.basis) } : {}), ...(v.token ? { token: v.token } : {}) }))
      .filter((c) => storyIds.includes(c.storyId));
  }
  async markAlertSent(storyId: string, level: number) {
    this.writes++;
    const a = this.alerts.get(`${storyId}/${level}`);
    if (a) a.status = 'sent';
  }
  async releaseAlert(storyId: string, level: number) {
    if (this.alerts.get(`${storyId}/${level}`)?.status === 'claimed') this.alerts.delete(`${storyId}/${level}`);
  }
  async sentAlertLevels(storyId: string) {
    return [...this.alerts.entries()].filter(([k, v]) => k.startsWith(`${storyId}/`) && v.status === 'sent').map(([k]) => Number(k.split('/')[1]));
  }
  async queryStories(query: StoryQuery) {
    return [...this.stories.values()].filter((s) => (!query.dyad || s.dyad === query.dyad) && s.firstSeen >= query.since && s.firstSeen <= query.until && (!query.type || s.types.includes(query.type as never)));
  }
}

/** An in-memory SubscriptionStore with the DynamoDB adapter's versioned writes; counts pushes. */
export class MemorySubscriptionStore implements SubscriptionStore {
  readonly items = new Map<string, WebSubSubscription>();
  readonly pushes = new Map<string, { accepted: number; refused: number }>();

  async getSubscriptions(feedIds: string[]) {
    return new Map(feedIds.filter((id) => this.items.has(id)).map((id) => [id, { ...(this.items.get(id) as WebSubSubscription) }]));
  }
  async getSubscription(feedId: string) {
    const s = this.items.get(feedId);
    return s ? { ...s } : null;
  }
  async putSubscription(subscription: WebSubSubscription, expectedVersion: number) {
    if ((this.items.get(subscription.feedId)?.version ?? 0) !== expectedVersion) return false;
    const copy = { ...subscription, version: expectedVersion + 1 } as Record<string, unknown>;
    for (const k of Object.keys(copy)) if (copy[k] === undefined) delete copy[k];
    this.items.set(subscription.feedId, copy as unknown as WebSubSubscription);
    return true;
  }
  async recordPush(feedId: string, outcome: PushOutcome) {
    const counts = this.pushes.get(feedId) ?? { accepted: 0, refused: 0 };
    if (outcome === 'accepted') counts.accepted++;
    else counts.refused++;
    this.pushes.set(feedId, counts);
  }
}
