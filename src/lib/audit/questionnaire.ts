import type { QuestionType } from './types.ts';

/**
 * The audit questionnaire as data: the 13 sections of DOMAIN.md ("The 360°
 * retention audit") and their questions. Ids are `section.question` and never
 * change once released, because saved answers are keyed by them; add new
 * questions rather than renaming old ones. Help texts are our own wording.
 */

/** The 13 sections, in the order of the audit. */
export const SECTION_IDS = [
  'overall',
  'product',
  'competition',
  'data',
  'operations',
  'success',
  'loyalty',
  'referral',
  'comms',
  'packaging',
  'community',
  'acquisition',
  'closing',
] as const;

export type SectionId = (typeof SECTION_IDS)[number];

/** The analyses that can propose an answer from the loaded data (proposals.ts). */
export const PROPOSER_IDS = [
  'top_first_purchase',
  'top_second_purchase',
  'repeat_rate',
  'month1_retention',
  'ltv_by_cohort',
  'seasonality',
  'nps',
  'feedback_collected',
  'returns_ratio',
  'tickets_per_customer',
  'holdout_groups',
  'segments_in_use',
  'event_tracking',
  'traffic_sources',
] as const;

export type ProposerId = (typeof PROPOSER_IDS)[number];

export interface Section {
  id: SectionId;
  /** 1–13, as DOMAIN.md numbers them. */
  number: number;
  title: string;
  /** What the section is for, in a sentence. */
  purpose: string;
}

export interface Question {
  /** `section.name`, stable forever. */
  id: string;
  section: SectionId;
  type: QuestionType;
  text: string;
  help: string;
  /** The options of a 'choice' question. */
  choices?: readonly string[];
  /** The unit of a 'number' question, shown beside the input and in the report. */
  unit?: string;
  /** The analysis that can propose an answer, where the data can answer. */
  proposer?: ProposerId;
}

export const SECTIONS: readonly Section[] = [
  {
    id: 'overall',
    number: 1,
    title: 'Overall',
    purpose: 'Where retention stands today and how the business thinks about it.',
  },
  {
    id: 'product',
    number: 2,
    title: 'Product',
    purpose: 'What customers buy first, what brings them back, and how the range is presented.',
  },
  {
    id: 'competition',
    number: 3,
    title: 'Competition',
    purpose: 'How the offer compares with the alternatives customers have.',
  },
  {
    id: 'data',
    number: 4,
    title: 'Customer data',
    purpose: 'What is known about customers, where it lives and how it is used.',
  },
  {
    id: 'operations',
    number: 5,
    title: 'Operations and logistics',
    purpose: 'Whether delivery keeps the promise the marketing makes.',
  },
  {
    id: 'success',
    number: 6,
    title: 'Customer success',
    purpose: 'How service spots and solves problems before customers leave.',
  },
  {
    id: 'loyalty',
    number: 7,
    title: 'Loyalty programme',
    purpose: 'Whether a loyalty scheme exists, who uses it, and whether it pays.',
  },
  {
    id: 'referral',
    number: 8,
    title: 'Referral programme',
    purpose: 'Whether customers bring customers, and how that is measured.',
  },
  {
    id: 'comms',
    number: 9,
    title: 'Marketing communications',
    purpose: 'How messages before and after a purchase are tested and measured.',
  },
  {
    id: 'packaging',
    number: 10,
    title: 'Packaging',
    purpose: 'What the delivery itself does for the next purchase (physical products).',
  },
  {
    id: 'community',
    number: 11,
    title: 'Community',
    purpose: 'Whether customers meet each other around the brand, and to what end.',
  },
  {
    id: 'acquisition',
    number: 12,
    title: 'Acquisition and sales',
    purpose: 'Whether the customers being won are the ones worth keeping.',
  },
  {
    id: 'closing',
    number: 13,
    title: 'Closing',
    purpose: 'Goals, limits and how mature retention thinking is overall.',
  },
];

const YES_NO_PARTLY = ['Yes', 'Partly', 'No'] as const;

export const QUESTIONS: readonly Question[] = [
  // 1. Overall
  {
    id: 'overall.known_issues',
    section: 'overall',
    type: 'text',
    text: 'Known retention issues, most pressing first',
    help: 'List what the team already believes loses customers, in the order they would fix it. The data sections will test these beliefs.',
  },
  {
    id: 'overall.strengths',
    section: 'overall',
    type: 'text',
    text: 'Strengths and weaknesses in keeping customers',
    help: 'What customers praise and what they complain about, in the team’s own words.',
  },
  {
    id: 'overall.kpis_today',
    section: 'overall',
    type: 'text',
    text: 'Retention KPIs used today',
    help: 'Which numbers management looks at each month (repeat rate, churn, LTV, NPS …) and who owns them.',
  },
  {
    id: 'overall.acquisition_lean',
    section: 'overall',
    type: 'rating',
    text: 'How strongly the organisation leans to acquisition over retention',
    help: '1 = retention comes first in budget and attention; 10 = almost everything goes to winning new customers.',
  },
  {
    id: 'overall.differentiator',
    section: 'overall',
    type: 'text',
    text: 'The core differentiator',
    help: 'The one reason a customer should choose this brand again rather than a competitor.',
  },
  {
    id: 'overall.brand_promise',
    section: 'overall',
    type: 'rating',
    text: 'How well the brand keeps its promise',
    help: '1 = the experience rarely matches what is promised; 10 = it always does.',
  },
  {
    id: 'overall.repeat_rate',
    section: 'overall',
    type: 'number',
    unit: '%',
    text: 'Share of customers who buy more than once',
    help: 'Customers with two or more orders as a share of all customers. The data answers this when orders are loaded.',
    proposer: 'repeat_rate',
  },
  // 2. Product
  {
    id: 'product.purchase_cycle',
    section: 'product',
    type: 'choice',
    choices: ['Single use', 'Replenishment', 'Both'],
    text: 'Single use or replenishment',
    help: 'Whether products are bought once (furniture) or run out and are bought again (coffee). Replenishment calls for reminders timed to the usage cycle.',
  },
  {
    id: 'product.top_first_purchase',
    section: 'product',
    type: 'text',
    text: 'Top first purchase',
    help: 'The item most new customers start with. It is the product the welcome journey should build on.',
    proposer: 'top_first_purchase',
  },
  {
    id: 'product.top_second_purchase',
    section: 'product',
    type: 'text',
    text: 'Top second purchase or add-on',
    help: 'The item customers most often come back for. It is the natural offer after the first order.',
    proposer: 'top_second_purchase',
  },
  {
    id: 'product.seasonality',
    section: 'product',
    type: 'text',
    text: 'Seasonality',
    help: 'When in the year sales peak and dip, so campaigns land before the peak rather than after it.',
    proposer: 'seasonality',
  },
  {
    id: 'product.sales_attributes',
    section: 'product',
    type: 'text',
    text: 'Key sales attributes',
    help: 'What sells the product: price, quality, speed, design or sustainability.',
  },
  {
    id: 'product.customer_value',
    section: 'product',
    type: 'number',
    text: 'Value of a customer over twelve months',
    help: 'Average cumulative revenue per customer twelve months after their first order. The data answers this from the cohort LTV curves.',
    proposer: 'ltv_by_cohort',
  },
  {
    id: 'product.review_scores',
    section: 'product',
    type: 'rating',
    text: 'Average review score (as 1–10)',
    help: 'Convert the shop’s review average to a 10-point scale (4.2 of 5 stars ≈ 8).',
  },
  {
    id: 'product.improvements',
    section: 'product',
    type: 'text',
    text: 'Product improvements customers ask for',
    help: 'Recurring requests from reviews, returns reasons and service contacts.',
  },
  {
    id: 'product.descriptions',
    section: 'product',
    type: 'rating',
    text: 'How rich the product descriptions are',
    help: '1 = a title and a price; 10 = sizes, materials, use, care, photos and answers to common questions.',
  },
  // 3. Competition
  {
    id: 'competition.market_position',
    section: 'competition',
    type: 'choice',
    choices: ['Leader', 'Challenger', 'Follower', 'Niche'],
    text: 'Market share position',
    help: 'Where the business stands in its market, as the team sees it.',
  },
  {
    id: 'competition.competitors',
    section: 'competition',
    type: 'text',
    text: 'Key competitors and what they compete on',
    help: 'Name the three alternatives customers consider and what each wins on (price, range, speed).',
  },
  {
    id: 'competition.product_rating',
    section: 'competition',
    type: 'rating',
    text: 'Honest product rating against competitors',
    help: '1 = clearly worse; 5 = on a par; 10 = clearly better.',
  },
  {
    id: 'competition.price_rating',
    section: 'competition',
    type: 'rating',
    text: 'Honest price rating against competitors',
    help: '1 = much more expensive for what it is; 10 = much better value.',
  },
  // 4. Customer data
  {
    id: 'data.feedback_collection',
    section: 'data',
    type: 'yesno',
    text: 'Post-purchase insight and product feedback are collected',
    help: 'Surveys, reviews or interviews after the purchase. The data answers this when a feedback table is loaded.',
    proposer: 'feedback_collected',
  },
  {
    id: 'data.funnel_quizzes',
    section: 'data',
    type: 'yesno',
    text: 'Quizzes or questions in the funnel learn about new customers',
    help: 'For example a product finder that also records the customer’s needs.',
  },
  {
    id: 'data.feedback_use',
    section: 'data',
    type: 'text',
    text: 'How feedback is put to work',
    help: 'Who reads it, how often, and what changed because of it last quarter.',
  },
  {
    id: 'data.central_table',
    section: 'data',
    type: 'choice',
    choices: ['Customer data platform', 'Central customer table', 'Spread over tools', 'None'],
    text: 'Where the single view of the customer lives',
    help: 'A CDP, one table in a warehouse or CRM, or customer facts scattered over the shop, email and service tools.',
  },
  {
    id: 'data.reporting',
    section: 'data',
    type: 'rating',
    text: 'Ease of reporting and extracting customer data',
    help: '1 = every question needs a developer; 10 = anyone can pull what they need.',
  },
  {
    id: 'data.sharing',
    section: 'data',
    type: 'text',
    text: 'How customer insight is shared inside and outside',
    help: 'Dashboards, meetings, reports to partners or agencies.',
  },
  {
    id: 'data.connected_systems',
    section: 'data',
    type: 'text',
    text: 'Connected systems',
    help: 'Which tools exchange customer data automatically (shop, email, CRM, service desk, ads).',
  },
  {
    id: 'data.ltv_accuracy',
    section: 'data',
    type: 'rating',
    text: 'Accuracy of LTV reporting',
    help: '1 = no LTV figure or a guess; 10 = measured per customer from order history, net of returns.',
  },
  {
    id: 'data.ltv_by_cohort',
    section: 'data',
    type: 'yesno',
    text: 'LTV can be sliced by cohort',
    help: 'Whether lifetime value can be shown per month of first purchase. The data answers this when orders are loaded.',
    proposer: 'ltv_by_cohort',
  },
  {
    id: 'data.month1_retention',
    section: 'data',
    type: 'number',
    unit: '%',
    text: 'Month-1 retention',
    help: 'Of customers who first bought in a month, the share who buy again in the following month (size-weighted over cohorts).',
    proposer: 'month1_retention',
  },
  {
    id: 'data.segmentation',
    section: 'data',
    type: 'text',
    text: 'Current segmentation',
    help: 'How customers are grouped today for messages and offers. The data proposes RFM segments when orders are loaded.',
    proposer: 'segments_in_use',
  },
  {
    id: 'data.behaviours',
    section: 'data',
    type: 'text',
    text: 'Behaviours collected',
    help: 'Site visits, product views, email opens, app use: what is tracked per customer.',
  },
  {
    id: 'data.holdouts',
    section: 'data',
    type: 'yesno',
    text: 'Long-term holdout groups exist',
    help: 'Customers deliberately left out of a programme so its effect can be measured. The data answers this when a programme membership table is loaded.',
    proposer: 'holdout_groups',
  },
  {
    id: 'data.event_tracking',
    section: 'data',
    type: 'yesno',
    text: 'Event tracking is in place',
    help: 'Whether customer actions are recorded as events with a customer and a time. The data answers this when an events table is loaded.',
    proposer: 'event_tracking',
  },
  {
    id: 'data.event_completeness',
    section: 'data',
    type: 'rating',
    text: 'Completeness of event tracking',
    help: '1 = a few page views; 10 = every step from first visit to repeat order, tied to the customer.',
  },
  {
    id: 'data.journey_mapping',
    section: 'data',
    type: 'yesno',
    text: 'Customer journeys have been mapped',
    help: 'A shared picture of the steps customers take, and where they drop out.',
  },
  {
    id: 'data.nps',
    section: 'data',
    type: 'number',
    text: 'Net Promoter Score',
    help: '% promoters (9–10) − % detractors (0–6), from −100 to 100. The data answers this when feedback scores are loaded.',
    proposer: 'nps',
  },
  {
    id: 'data.anticipating_needs',
    section: 'data',
    type: 'rating',
    text: 'How well customer needs are anticipated',
    help: '1 = the business reacts to what customers ask; 10 = it reaches out before the need arises (replenishment, upgrades).',
  },
  {
    id: 'data.differentiated_treatment',
    section: 'data',
    type: 'rating',
    text: 'How differently customers are treated by value',
    help: '1 = everyone gets the same; 10 = service, offers and messages depend on value and risk.',
  },
  {
    id: 'data.missing_information',
    section: 'data',
    type: 'text',
    text: 'Information that is missing and would help',
    help: 'What the team wishes it knew about customers.',
  },
  // 5. Operations and logistics
  {
    id: 'operations.availability',
    section: 'operations',
    type: 'rating',
    text: 'Product availability',
    help: '1 = stock-outs are common; 10 = what is shown is always available.',
  },
  {
    id: 'operations.inhouse',
    section: 'operations',
    type: 'choice',
    choices: ['In-house', 'Outsourced', 'Mixed'],
    text: 'Fulfilment in-house or outsourced',
    help: 'Who picks, packs and ships the orders.',
  },
  {
    id: 'operations.supply_chain',
    section: 'operations',
    type: 'text',
    text: 'Supply chain',
    help: 'Lead times, single suppliers, known weak links.',
  },
  {
    id: 'operations.supplier_quality',
    section: 'operations',
    type: 'rating',
    text: 'Supplier quality',
    help: '1 = frequent defects or delays; 10 = consistently right first time.',
  },
  {
    id: 'operations.kpis',
    section: 'operations',
    type: 'text',
    text: 'Operational KPIs',
    help: 'Delivery time, on-time rate, damage rate, order accuracy, and who watches them.',
  },
  {
    id: 'operations.friction',
    section: 'operations',
    type: 'text',
    text: 'Operational friction customers feel',
    help: 'Late deliveries, split shipments, hard returns: where operations cost repeat orders.',
  },
  {
    id: 'operations.fiscal_controls',
    section: 'operations',
    type: 'rating',
    text: 'Strength of fiscal controls',
    help: '1 = refunds and discounts are hard to trace; 10 = every credit is approved and recorded.',
  },
  // 6. Customer success
  {
    id: 'success.team',
    section: 'success',
    type: 'text',
    text: 'Team structure',
    help: 'How service is organised: in-house, outsourced, by channel or by customer value.',
  },
  {
    id: 'success.kpis',
    section: 'success',
    type: 'text',
    text: 'Service KPIs',
    help: 'First response time, resolution time, satisfaction after contact.',
  },
  {
    id: 'success.early_warning',
    section: 'success',
    type: 'yesno',
    text: 'Early-warning signals of churn are watched',
    help: 'For example falling usage, repeated complaints or a failed payment, with someone acting on them.',
  },
  {
    id: 'success.agents_per_customer',
    section: 'success',
    type: 'number',
    text: 'Agents per 1,000 customers',
    help: 'Service staff (full-time equivalents) for every thousand active customers.',
  },
  {
    id: 'success.tickets_per_customer',
    section: 'success',
    type: 'number',
    text: 'Support tickets per customer',
    help: 'Service contacts in the period divided by customers. The data answers this when support events are loaded.',
    proposer: 'tickets_per_customer',
  },
  {
    id: 'success.self_service',
    section: 'success',
    type: 'rating',
    text: 'Self-service options',
    help: '1 = every question needs an agent; 10 = order status, returns and common questions are all self-service.',
  },
  {
    id: 'success.quality_tools',
    section: 'success',
    type: 'text',
    text: 'Quality tools',
    help: 'How service quality is checked: call reviews, surveys after contact, mystery shopping.',
  },
  {
    id: 'success.returns_ratio',
    section: 'success',
    type: 'number',
    unit: '%',
    text: 'Returns ratio',
    help: 'Cancelled or returned order lines as a share of all order lines. The data answers this when cancellations are marked.',
    proposer: 'returns_ratio',
  },
  {
    id: 'success.agent_goals',
    section: 'success',
    type: 'text',
    text: 'How agents are goaled',
    help: 'What agents are rewarded for: speed, satisfaction, saves, sales.',
  },
  // 7. Loyalty programme
  {
    id: 'loyalty.exists',
    section: 'loyalty',
    type: 'yesno',
    text: 'A loyalty programme exists',
    help: 'Points, tiers, a paid membership or perks for returning customers.',
  },
  {
    id: 'loyalty.participation',
    section: 'loyalty',
    type: 'number',
    unit: '%',
    text: 'Share of customers taking part',
    help: 'Active members as a share of active customers.',
  },
  {
    id: 'loyalty.kpis',
    section: 'loyalty',
    type: 'text',
    text: 'Loyalty programme KPIs',
    help: 'How its success is judged, ideally against a holdout group that never joined.',
  },
  // 8. Referral programme
  {
    id: 'referral.exists',
    section: 'referral',
    type: 'yesno',
    text: 'A referral programme exists',
    help: 'Customers are rewarded for bringing friends.',
  },
  {
    id: 'referral.participation',
    section: 'referral',
    type: 'number',
    unit: '%',
    text: 'Share of customers who refer',
    help: 'Customers who referred at least once as a share of active customers.',
  },
  {
    id: 'referral.kpis',
    section: 'referral',
    type: 'text',
    text: 'Referral programme KPIs',
    help: 'Referred customers, their retention against others, cost per referred customer.',
  },
  // 9. Marketing communications
  {
    id: 'comms.testing',
    section: 'comms',
    type: 'rating',
    text: 'Testing of pre- and post-purchase messages',
    help: '1 = nothing is tested; 10 = every main message has a controlled test behind it.',
  },
  {
    id: 'comms.remarketing_kpis',
    section: 'comms',
    type: 'text',
    text: 'Remarketing KPIs',
    help: 'What remarketing is judged on: clicks, orders, incremental orders against a holdout.',
  },
  {
    id: 'comms.email_features',
    section: 'comms',
    type: 'text',
    text: 'Email features in use',
    help: 'Welcome series, abandoned basket, post-purchase, win-back, replenishment reminders, personalised content.',
  },
  {
    id: 'comms.sms_push',
    section: 'comms',
    type: 'yesno',
    text: 'SMS or push messages are used',
    help: 'The most intrusive channels; they need consent and care.',
  },
  {
    id: 'comms.direct_mail',
    section: 'comms',
    type: 'yesno',
    text: 'Direct mail is used',
    help: 'Printed mail to customers, for example catalogues or win-back offers.',
  },
  {
    id: 'comms.retargeting',
    section: 'comms',
    type: 'text',
    text: 'Retargeting and its KPIs',
    help: 'Ads to past visitors or customers, and how their effect is measured.',
  },
  // 10. Packaging
  {
    id: 'packaging.unboxing',
    section: 'packaging',
    type: 'rating',
    text: 'Unboxing experience',
    help: '1 = a plain box; 10 = the opening itself is memorable and on brand.',
  },
  {
    id: 'packaging.tactics',
    section: 'packaging',
    type: 'text',
    text: 'Retention tactics in the package',
    help: 'Inserts, samples, a discount for the next order, a handwritten note, a QR code to a how-to.',
  },
  {
    id: 'packaging.kpis',
    section: 'packaging',
    type: 'text',
    text: 'Packaging KPIs',
    help: 'Redemption of inserts, repeat rate of customers who got a sample against those who did not.',
  },
  // 11. Community
  {
    id: 'community.exists',
    section: 'community',
    type: 'yesno',
    text: 'A customer community exists',
    help: 'A forum, group, club or events where customers meet each other.',
  },
  {
    id: 'community.kpis',
    section: 'community',
    type: 'text',
    text: 'Community KPIs',
    help: 'Members, active members, and their retention against other customers.',
  },
  {
    id: 'community.management',
    section: 'community',
    type: 'text',
    text: 'How the community is run',
    help: 'Who moderates, how often there is new content, what members get.',
  },
  // 12. Acquisition and sales
  {
    id: 'acquisition.qualification',
    section: 'acquisition',
    type: 'rating',
    text: 'How well acquisition qualifies customers',
    help: '1 = any buyer at any cost; 10 = campaigns aim at customers who are likely to stay.',
  },
  {
    id: 'acquisition.sales_process',
    section: 'acquisition',
    type: 'text',
    text: 'The sales process',
    help: 'How a prospect becomes a customer: self-serve checkout, sales calls, trials.',
  },
  {
    id: 'acquisition.traffic_sources',
    section: 'acquisition',
    type: 'text',
    text: 'Main traffic sources',
    help: 'Where customers come from. The data answers this when a channel or acquisition source is mapped.',
    proposer: 'traffic_sources',
  },
  {
    id: 'acquisition.kpis',
    section: 'acquisition',
    type: 'text',
    text: 'Acquisition KPIs',
    help: 'Cost per acquisition, first-order margin, payback period.',
  },
  // 13. Closing
  {
    id: 'closing.future_value_by_source',
    section: 'closing',
    type: 'yesno',
    text: 'Future value is predicted by traffic source',
    help: 'Whether the expected value of customers from each source is known, so budget follows value rather than first orders.',
  },
  {
    id: 'closing.third_party_tools',
    section: 'closing',
    type: 'text',
    text: 'Third-party tools in use',
    help: 'Email, reviews, loyalty, analytics and service tools, with what each is used for.',
  },
  {
    id: 'closing.limits',
    section: 'closing',
    type: 'text',
    text: 'Organisational limits',
    help: 'Budget, people, skills or systems that will limit what can be fixed this year.',
  },
  {
    id: 'closing.omissions',
    section: 'closing',
    type: 'text',
    text: 'Anything the audit has missed',
    help: 'What the client thinks matters that no question covered.',
  },
  {
    id: 'closing.goals',
    section: 'closing',
    type: 'text',
    text: 'Immediate retention goals',
    help: 'What must improve in the next two quarters, with a number if possible.',
  },
  {
    id: 'closing.missing_information',
    section: 'closing',
    type: 'text',
    text: 'Information still missing',
    help: 'Data or answers to collect before the fix plan is final.',
  },
  {
    id: 'closing.understands',
    section: 'closing',
    type: 'rating',
    text: 'How well the organisation understands retention',
    help: '1 = retention is not discussed; 10 = everyone knows the numbers and what drives them.',
  },
  {
    id: 'closing.prioritises',
    section: 'closing',
    type: 'rating',
    text: 'How well it prioritises retention',
    help: '1 = always after acquisition; 10 = budgeted and staffed on its own merits.',
  },
  {
    id: 'closing.differentiates',
    section: 'closing',
    type: 'rating',
    text: 'How well it differentiates customers',
    help: '1 = one treatment for all; 10 = treatment depends on value, risk and needs.',
  },
  {
    id: 'closing.plans',
    section: 'closing',
    type: 'rating',
    text: 'How well it plans retention',
    help: '1 = ad hoc; 10 = a written plan with owners, KPIs and holdouts.',
  },
  {
    id: 'closing.loyalty_choice',
    section: 'closing',
    type: 'choice',
    choices: YES_NO_PARTLY,
    text: 'Ready to measure programmes against holdouts',
    help: 'Whether the team can leave a share of customers out of programmes for months to learn what they really achieve.',
  },
];

/** The questions of one section, in order. */
export function questionsOf(section: SectionId): Question[] {
  return QUESTIONS.filter((q) => q.section === section);
}

const BY_ID = new Map(QUESTIONS.map((q) => [q.id, q]));

/** The question with this id, if it exists. */
export function questionById(id: string): Question | undefined {
  return BY_ID.get(id);
}
