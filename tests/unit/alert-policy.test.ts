import { describe, expect, it } from 'vitest';
import { addToStory, findStory, newStory, nextAlertLevel } from '#shared/domain/stories.ts';
import { applyStory, emptyDyadState } from '#shared/domain/dyad-state.ts';
import { buildDigest } from '#shared/domain/alert-text.ts';
import { fitsOneSegment } from '#shared/domain/gsm7.ts';
import { createClassifier } from '#shared/domain/classify.ts';
import { loadWatches } from '#shared/watches.ts';
import type { Article } from '#shared/domain/types.ts';

const classify = createClassifier(loadWatches());
function article(id: string, title: string, summary: string, publishedAt: string, outlet = 'Indus Daily'): Article {
  return { articleId: id, url: `https://news.example/${id}`, title, summary, publishedAt, publishedFromFeed: true, feedId: 'f', outlet, language: 'en', fetchedAt: publishedAt, classification: classify({ title, summary, published: publishedAt }), storyId: null };
}

describe('event lifecycle', () => {
  const announced = article('a1', 'Iranian foreign minister to visit Pakistan on March 20', 'Tehran said the minister will travel to Islamabad on March 20 for talks with his Pakistani counterpart.', '2024-03-10T09:00:00Z');

  it('marks an announced visit as scheduled', () => {
    expect(newStory(announced).status).toBe('scheduled');
  });

  it('links the report that it happened, ten days later, to the same story without a new alert', () => {
    const story = { ...newStory(announced), alertLevel: 1 };
    const held = article('a2', 'Iranian foreign minister arrives in Islamabad', 'The minister began his visit to Pakistan with talks at the Foreign Office.', '2024-03-20T07:00:00Z', 'Caspian Herald');
    expect(findStory(held, [story])?.storyId).toBe(story.storyId);
    const next = addToStory(story, held);
    expect(next.status).toBe('held');
    expect(nextAlertLevel(story, next)).toBe(1);
  });

  it('alerts again when the announced visit is postponed', () => {
    const story = { ...newStory(announced), alertLevel: 1 };
    const postponed = article('a3', "Iranian foreign minister's visit to Pakistan postponed", 'The visit planned for March 20 has been put off, the Foreign Office said.', '2024-03-18T07:00:00Z', 'Gulf Wire');
    expect(findStory(postponed, [story])?.storyId).toBe(story.storyId);
    const next = addToStory(story, postponed);
    expect(next.status).toBe('postponed');
    expect(nextAlertLevel(story, next)).toBe(2);
  });

  it('keeps an unrelated visit a month later apart', () => {
    const story = newStory(announced);
    const other = article('a4', 'Pakistani prime minister visits Tehran', 'The premier held talks with the Iranian president.', '2024-04-25T07:00:00Z');
    expect(findStory(other, [story])).toBeNull();
  });
});

describe('dyad state', () => {
  const recall = newStory(article('r1', 'Pakistan recalls its ambassador from Tehran', 'Islamabad said the envoy would not return for now.', '2024-01-17T20:00:00Z'));
  const back = newStory(article('r2', 'Iran and Pakistan ambassadors return to their posts', 'Both envoys resumed their duties.', '2024-01-26T10:00:00Z'));

  it('records a recall and says it is the first on record, then counts the days until the return', () => {
    const first = applyStory(emptyDyadState('IR-PK'), recall, [], recall.firstSeen);
    expect(first.note).toBe('ambassadors recalled (no earlier recall on record here)');
    expect(first.state).toMatchObject({ ambassadors: 'recalled', lastRecallAt: recall.firstSeen });
    const second = applyStory(first.state, back, [], back.firstSeen);
    expect(second.note).toBe('ambassadors back in post after 9 days');
    expect(second.state.ambassadors).toBe('in-post');
  });

  it('says when a recall is the first since an earlier one', () => {
    const later = applyStory({ ...emptyDyadState('IR-PK'), lastRecallAt: '2019-04-20T00:00:00Z', ambassadors: 'in-post' }, recall, [], recall.firstSeen);
    expect(later.note).toBe('first ambassador recall since 2019-04-20');
  });

  it('notes an announced return without changing the state, and moves it when the return is reported held', () => {
    const recalled = applyStory(emptyDyadState('IR-PK'), recall, [], recall.firstSeen).state;
    const announced = { ...back, status: 'scheduled' as const, eventDates: [{ date: '2024-01-29', text: 'on January 29', kind: 'scheduled' as const }] };
    const said = applyStory(recalled, announced, [], '2024-01-22T10:00:00Z');
    expect(said.note).toBe('return of ambassadors announced for 2024-01-29');
    expect(said.state.ambassadors).toBe('recalled');
    // reported held the day after: the return counts from its announced date
    const held = applyStory(said.state, { ...announced, status: 'held' }, announced.types, '2024-01-30T09:00:00Z', 'scheduled');
    expect(held.note).toBe('ambassadors back in post after 11 days');
    expect(held.state).toMatchObject({ ambassadors: 'in-post', lastReturnAt: '2024-01-29T00:00:00.000Z' });
    // a postponed return is not a return either
    expect(applyStory(said.state, { ...announced, status: 'postponed' }, announced.types, '2024-01-28T09:00:00Z', 'scheduled').state.ambassadors).toBe('recalled');
  });

  it('changes nothing for types the story already had', () => {
    expect(applyStory(emptyDyadState('IR-PK'), recall, ['envoy_recall'], recall.firstSeen).note).toBeUndefined();
  });
});

describe('digest', () => {
  it('summarises many stories in one alert that fits one SMS segment', () => {
    const stories = Array.from({ length: 9 }, (_, i) => ({ ...newStory(article(`d${i}`, `Iran strikes militant camp number ${i} inside Pakistan’s Balochistan province, officials say`, '', `2024-01-16T0${i}:00:00Z`)), alertLevel: 1 }));
    const digest = buildDigest(stories);
    expect(digest.digestOf).toHaveLength(9);
    expect(digest.subject.length).toBeLessThanOrEqual(100);
    expect(digest.subject).toMatch(/Digest: 9 events/);
    expect(fitsOneSegment(digest.sms)).toBe(true);
    expect(digest.email.split('\n').filter((l) => /^\d+\. /.test(l))).toHaveLength(9);
  });
});
