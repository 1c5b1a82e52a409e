package dev.clarisync.sim;

/**
 * Word and sentence pools for generated content. Some entries are deliberately hostile (quotes,
 * backslashes, emoji, right-to-left text, SQL fragments, control characters) because a connector
 * that copies text into a warehouse must survive them.
 */
final class Texts {
    private Texts() {
    }

    static final String[] FIRST_NAMES = {
        "Alice", "Bob", "Carla", "Deepak", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal", "Kate",
        "Liam", "Maya", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Victor",
        "Wen", "Ximena", "Yusuf", "Zoë", "José", "Siobhán", "Łukasz", "Renée", "Dmitri", "Aiko",
    };

    static final String[] LAST_NAMES = {
        "Anderson", "Bauer", "Chen", "Diaz", "Eriksen", "Fischer", "García", "Hughes", "Ivanova", "Jones",
        "Kowalski", "Lopez", "Müller", "Nakamura", "O'Brien", "Patel", "Quintero", "Rossi", "Singh",
        "Thompson", "Ueda", "Vargas", "Williams", "Xu", "Yilmaz", "Zhang", "D'Angelo", "van der Berg",
    };

    /** Non-Latin names for some external participants. */
    static final String[] EXOTIC_NAMES = {
        "李雷", "王芳", "محمد العلي", "فاطمة الزهراء", "Алексей Смирнов", "Мария Иванова", "佐藤 花子",
        "Zoë \"Z\" O'Neil", "Back\\Slash Person",
    };

    static final String[] ACCOUNTS = {
        "Acme Corp", "Globex", "Initech", "Umbrella Health", "Stark Industries", "Wayne Enterprises",
        "Wonka Foods", "Hooli", "Pied Piper", "Cyberdyne Systems", "Soylent Co", "Tyrell Corp",
        "Müller & Söhne GmbH", "O'Reilly Logistics", "Nakatomi Trading", "Vandelay Industries",
        "Gringotts Bank", "Oceanic Airlines", "Monarch Solutions", "Blue Sun", "Aperture Science",
        "Black Mesa", "Massive Dynamic", "Dunder Mifflin", "Sterling Cooper", "北京数据科技",
        "Αθηνά Analytics", "Ромашка ООО",
    };

    static final String[] PRODUCTS = {"Platform", "Analytics", "Enterprise", "Starter", "Premium Support",
        "Data Add-on", "Seats"};

    static final String[] TITLE_KINDS = {
        "Discovery call", "Demo", "Pricing discussion", "Quarterly business review", "Kickoff",
        "Renewal sync", "Technical deep dive", "Security review", "Contract negotiation", "Intro call",
        "Follow-up", "Executive briefing", "Onboarding session", "Champion check-in",
    };

    /** Titles that break naive quoting, escaping, encodings or column sizes. */
    static final String[] HARD_TITLES = {
        "Q3 pricing: \"Enterprise\" vs 'Pro' tier",
        "Robert'); DROP TABLE calls; --",
        "1' OR '1'='1",
        "Path C:\\Users\\rep\\notes\\call.txt and a trailing backslash \\",
        "Kickoff 🚀 with the team 🎉👩‍💻",
        "Line one\nLine two\r\nLine three",
        "Tab\tseparated\ttitle",
        "与客户的季度业务回顾会议",
        "اجتماع مراجعة المبيعات الفصلية",
        "Встреча по продлению контракта",
        "Ünïcödé Çàll — naïve café résumé",
        "<script>alert('x')</script> & <b>bold</b>",
        "Percent 100% _underscore_ and %s %d {0} ${jndi:ldap://x}",
        "   leading and trailing spaces   ",
        "Very long title " + "lorem ipsum dolor sit amet ".repeat(20),
        "\"\"\"",
        "Emoji only 😀😃😄",
        "",
    };

    static final String[] DEAL_STAGES = {"Qualification", "Discovery", "Demo", "Proposal",
        "Negotiation", "Closed Won", "Closed Lost"};

    static final String[] DISPOSITIONS = {"CONNECTED_WITH_PROSPECT", "CALL_DID_NOT_CONNECT_WITH_PROSPECT",
        "LEFT_VOICEMAIL", "NO_ANSWER", "WRONG_NUMBER", "UNKNOWN_CALL_DISPOSITION"};

    static final String[] CATEGORIES = {"Pricing", "Next Steps", "Competitors", "Budget", "Timeline",
        "Decision Process", "Objections", "Security", "Integrations", "Small Talk"};

    static final String[] PHRASES = {"what does it cost", "send over the proposal", "we use Gong today",
        "budget is approved", "by end of quarter", "legal needs to review", "too expensive",
        "SOC 2 report", "Salesforce integration", "how was your weekend", "let's schedule a follow-up",
        "the CFO signs off", "discount", "pilot program"};

    static final String[] COMPETITORS = {"Gong", "Chorus", "Avoma", "Fireflies", "Outreach Kaia",
        "Salesloft Conversations", "Otter.ai"};

    static final String[] SENTIMENTS = {"POSITIVE", "NEUTRAL", "NEGATIVE"};

    static final String[] REP_LINES = {
        "Thanks for making the time today, I know it's a busy week.",
        "Could you walk me through how your team handles this today?",
        "What would success look like for you in the next six months?",
        "Let me share my screen and show you the dashboard.",
        "That's a great question, let me pull up the pricing sheet.",
        "Who else is involved in the decision on your side?",
        "We integrate with Salesforce and HubSpot out of the box.",
        "I'll send over the proposal by Friday.",
        "Does the end of the quarter still work as a target date?",
        "How are you measuring that today?",
        "We've seen customers cut ramp time by about a third.",
        "Can we get your security team on the next call?",
        "I hear you on the budget; let's look at a phased rollout.",
        "Just to recap what I heard so far...",
        "Is there anything that would stop you from moving forward?",
        "Let's schedule a follow-up with your CFO next week.",
    };

    static final String[] PROSPECT_LINES = {
        "Honestly, the biggest pain is that nobody updates the CRM.",
        "We use Gong today, but the contract is up for renewal.",
        "Budget is tight this year, so it has to pay for itself.",
        "Our legal team will need to review the data processing terms.",
        "How does the pricing work for fifty seats?",
        "That looks useful, can it export to our warehouse?",
        "We need a SOC 2 report before we can go further.",
        "I'm not the final decision maker, that's our VP of Sales.",
        "Can you do a pilot with one team first?",
        "Yeah, that matches what we saw in the trial.",
        "The timeline is end of quarter, ideally.",
        "What happens to the recordings if we cancel?",
        "It's \"fine\" but the reps hate the extra clicks.",
        "Sorry, you cut out for a second there.",
        "Sounds good, send it over and I'll circulate it.",
        "我们需要确认一下预算。",
        "Нам нужно согласовать это с юристами.",
    };

    static final String[] TAKEAWAYS = {
        "Prospect is evaluating alternatives before their renewal.",
        "Budget exists but needs CFO approval.",
        "Security review is the main blocker.",
        "Strong interest in the CRM integration.",
        "Pilot with one team proposed for next month.",
        "Decision expected by end of quarter.",
        "Pricing concerns raised for larger seat counts.",
        "Champion identified in sales operations.",
    };

    static final String[] TOPICS = {"Current process", "Pricing", "Integrations", "Security and compliance",
        "Implementation timeline", "Competitive landscape", "Success criteria", "Next steps"};

    static final String[] ACTION_ITEMS = {
        "Send the proposal with phased pricing",
        "Share the SOC 2 report",
        "Schedule a follow-up with the CFO",
        "Set up a pilot workspace",
        "Send the Salesforce integration guide",
        "Confirm the legal review timeline",
        "Introduce the customer success manager",
    };

    static final String[] TIMELINES = {"Today", "Tomorrow", "This week", "Next week", "By end of month",
        "Before next call"};

    static final String[] BOT_NOT_JOIN = {
        "Bot was not admitted to the meeting by the host",
        "Meeting link missing from the calendar event",
        "Meeting ended before the bot could join",
        "Recording disabled by the meeting organizer",
        "Waiting room timeout",
    };

    static final String[] COMPANY_DOMAINS_SUFFIX = {".example", ".example.com", ".example.org"};
}
