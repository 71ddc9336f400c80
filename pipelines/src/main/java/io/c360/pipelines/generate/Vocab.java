package io.c360.pipelines.generate;

/** Word lists the synthetic members are built from. */
final class Vocab {
  private Vocab() {}

  static final String[] ADJECTIVES = {
    "Blue", "Bright", "Northern", "Silver", "Green", "Rapid", "Golden", "Quiet", "Bold", "Urban",
    "Coastal", "Alpine", "Prime", "Summit", "Red", "Oak", "Iron", "Crystal", "Sunny", "Royal"
  };

  static final String[] NOUNS = {
    "River", "Harbor", "Forge", "Field", "Peak", "Bridge", "Valley", "Stone", "Lake", "Grove",
    "Works", "Point", "Mill", "Gate", "Crest", "Meadow", "Falcon", "Anchor", "Beacon", "Cedar"
  };

  static final String[] TRADES = {
    "Logistics", "Foods", "Software", "Retail", "Consulting", "Health", "Energy", "Media",
    "Design", "Motors", "Textiles", "Labs", "Trading", "Systems", "Partners", "Finance"
  };

  static final String[] SUFFIXES = {"GmbH", "Ltd", ", Inc.", "S.A.", "& Co", "B.V.", "LLC", "AG"};

  static final String[] DOMAINS = {
    "example.com", "mail.example.org", "corp.example.net", "example.de", "example.fr"
  };

  /** City, ISO country code. */
  static final String[][] CITIES = {
    {"Berlin", "de"},
    {"Hamburg", "de"},
    {"Munich", "de"},
    {"Paris", "fr"},
    {"Lyon", "fr"},
    {"Madrid", "es"},
    {"Barcelona", "es"},
    {"Milan", "it"},
    {"Rome", "it"},
    {"Amsterdam", "nl"},
    {"Rotterdam", "nl"},
    {"Vienna", "at"},
    {"Zurich", "ch"},
    {"Brussels", "be"},
    {"Copenhagen", "dk"},
    {"Stockholm", "se"},
    {"Oslo", "no"},
    {"Warsaw", "pl"},
    {"Prague", "cz"},
    {"Lisbon", "pt"},
    {"Dublin", "ie"},
    {"London", "gb"},
    {"New York", "us"},
    {"San Francisco", "us"},
    {"Toronto", "ca"},
    {"Frankfurt am Main", "de"}
  };

  static final String[] INDUSTRIES = {
    "Retail", "Manufacturing", "Healthcare", "Financial Services", "Technology", "Education",
    "Hospitality", "Logistics", "Media", "Public Sector", "Energy", "Real Estate"
  };

  static final String[] BRANDS = {
    "Acme",
    "Nordlicht",
    "Vela",
    "Orbis",
    "Kestrel",
    "Lumen",
    "Tessera",
    "Arbor",
    "Quanta",
    "Helio",
    "Mistral",
    "Juniper"
  };

  static final String[] PRODUCT_WORDS = {
    "Starter Kit",
    "Pro Edition",
    "Classic",
    "Deluxe Set",
    "Essentials",
    "Plus",
    "Mini",
    "Max",
    "Collection",
    "Bundle"
  };

  static final String[][] CHANNELS = {
    {"Email", "digital"}, {"SMS", "digital"}, {"Push Notification", "digital"},
    {"WhatsApp", "digital"}, {"Direct Mail", "offline"}, {"Display Ads", "digital"},
    {"Social Media", "digital"}, {"Paid Search", "digital"}, {"Affiliate", "partner"},
    {"Call Center", "offline"}
  };

  static final String[] BAD_DATES = {"2025-13-01", "31/12/2024", "yesterday", "2024-1-5x"};
  static final String[] BAD_TIMESTAMPS = {
    "2025-01-05T25:61:00", "05/01/2025 10:00", "not-a-timestamp", "2025-01-05T10:00:00+25:00"
  };
  static final String[] BAD_DECIMALS = {"12,50", "abc", "1.2.3", "EUR 12"};
  static final String[] BAD_INTEGERS = {"two", "3x", "1e", "--1"};
  static final String[] BAD_EMAILS = {"john.doe.example.com", "a@b@example.com", "joe@localhost"};
  static final String[] BAD_SEGMENTS = {"Gold", "Startup", "Reseller"};
  static final String[] BAD_CATEGORIES = {"Toys", "Garden", "Electronics"};
  static final String[] BAD_STATUSES = {"pending", "refunded", "shipped"};
  static final String[] BAD_EVENT_TYPES = {"click", "view_item", "wishlist"};

  static final String[] CAMPAIGN_THEMES = {
    "Spring Sale",
    "Summer Deals",
    "Back to School",
    "Black Friday",
    "Holiday Gifts",
    "New Year",
    "Loyalty Boost",
    "Brand Week",
    "Clearance",
    "Product Launch"
  };
}
