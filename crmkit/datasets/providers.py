"""Faker providers for logistics customers: company names, streets, phones and name variants.

Written the Faker way (see ``faker/providers/company``): the data sit in class attributes, the
methods are one-liners over ``self.random_element``, and a locale is a subclass that only swaps the
data. ``fake.company()`` gives only a few hundred distinct names, so names are composed here from a
city, a two-character brand (字号), a trade word for the industry and a legal-form suffix — tens of
thousands of plausible, distinct names such as 上海恒通商贸有限公司.
"""
from __future__ import annotations

from collections import OrderedDict

from faker import Faker
from faker.providers import BaseProvider

from crmkit.datasets.geography import CITIES
from crmkit.vocabulary import translate

__all__ = ["LogisticsProvider", "LogisticsProviderEnUS", "PROVIDERS", "locale_provider",
           "make_faker"]


class LogisticsProvider(BaseProvider):
    """zh_CN data: brands, trade words per industry, legal forms, streets and name variants."""

    #: Characters for two-character brands (字号); 60 x 59 ordered pairs.
    brand_parts = tuple("恒通达盛鑫华泰嘉瑞丰远宏德信安和美新联创科捷运隆昌源祥顺金正"
                        "中天宇力佳永广东海润星辰立诚博汇众合银铭凯启明兴旺福富万晟")
    #: Trade words by industry code (order of ``vocabulary.CATEGORIES["industry"]``).
    trades = (
        ("机械", "精密制造", "实业", "工业", "装备", "五金"),
        ("商贸", "百货", "商业", "连锁超市", "贸易"),
        ("电子商务", "网络科技", "供应链管理", "电商", "网购"),
        ("医药", "生物医药", "药业", "医疗器械", "医药物流"),
        ("汽车零部件", "汽车配件", "汽车", "车业", "汽车部件"),
        ("食品", "冷链食品", "乳业", "农产品", "生鲜"),
        ("化工", "新材料", "精细化工", "塑胶", "涂料"),
        ("电子", "电子科技", "光电", "智能科技", "半导体"),
    )
    #: Legal forms with weights (有限公司 is by far the most common).
    suffixes = OrderedDict([("有限公司", 0.62), ("股份有限公司", 0.14), ("有限责任公司", 0.10),
                            ("(集团)有限公司", 0.08), ("集团股份有限公司", 0.06)])
    #: Name patterns; {c} city, {b} brand, {t} trade word, {s} suffix.
    formats = OrderedDict([("{c}{b}{t}{s}", 0.70), ("{b}{t}({c}){s}", 0.15), ("{b}{t}{s}", 0.15)])
    #: Street names found in most Chinese cities, so any street fits any city.
    streets = ("人民路", "解放路", "中山路", "建设路", "长江路", "黄河路", "和平路", "新华路",
               "工业园路", "物流园路", "开发区大道", "滨江大道", "科技路", "创业路", "南京路",
               "胜利路", "文化路", "迎宾大道", "港湾路", "保税区路")
    address_format = "{city}市{street}{number}号"
    phone_prefixes = ("130", "131", "135", "136", "137", "138", "139", "150", "151", "158", "159",
                      "177", "180", "186", "187", "188", "189", "199")
    phone_format = "{prefix}########"
    #: Spelling variants seen in departmental lists: (written in the master, written elsewhere).
    name_swaps = (("有限责任公司", "有限公司"), ("有限公司", "有限责任公司"), ("(集团)", ""),
                  ("(", "（"), ("股份有限公司", "股份公司"))
    group_marker = "(集团)"
    group_anchor = "有限公司"
    city_suffix = "市"
    #: The locale of the category labels, and the fields of ``geography.City`` that hold its city
    #: and province names (``locale`` is taken: BaseProvider.locale() draws a random locale).
    label_locale = "zh_CN"
    city_field, province_field = "name_zh", "province_zh"
    #: Lists may write a city with its province in front (江苏苏州): Chinese usage only.
    province_prefix = True

    @classmethod
    def city_names(cls) -> tuple[str, ...]:
        """Names of the cities of ``geography.CITIES`` in this locale, in that order.

        :example: ('上海', '杭州', ...)
        """
        return tuple(getattr(city, cls.city_field) for city in CITIES)

    @classmethod
    def province_names(cls) -> tuple[str, ...]:
        """The province of each city of ``geography.CITIES`` in this locale.

        :example: ('上海', '浙江', ...)
        """
        return tuple(getattr(city, cls.province_field) for city in CITIES)

    @classmethod
    def region_names(cls) -> tuple[str, ...]:
        """The region (华东 ...) of each city of ``geography.CITIES`` in this locale.

        :example: ('华东', '华东', ...)
        """
        return tuple(translate(city.region_zh, cls.label_locale) for city in CITIES)

    def brand(self) -> str:
        """:example: '恒通'"""
        first, second = self.random_sample(self.brand_parts, length=2)
        return first + second

    def trade(self, industry: int) -> str:
        """:example: '商贸'"""
        return self.random_element(self.trades[industry])

    def company_name(self, city: str, industry: int) -> str:
        """:example: '上海恒通商贸有限公司'"""
        fmt, suffix = self.random_element(self.formats), self.random_element(self.suffixes)
        if "(" in suffix:  # one bracket per name: 恒通商贸(集团)有限公司, not ...(上海)(集团)...
            fmt = next(iter(self.formats))
        return fmt.format(c=city, b=self.brand(), t=self.trade(industry), s=suffix)

    def street_address(self, city: str) -> str:
        """:example: '上海市人民路88号'"""
        return self.address_format.format(city=city, street=self.random_element(self.streets),
                                          number=self.random_int(1, 999))

    def mobile(self) -> str:
        """:example: '13812345678'"""
        return self.numerify(self.phone_format.format(prefix=self.random_element(self.phone_prefixes)))


class LogisticsProviderEnUS(LogisticsProvider):
    """en_US data: English brands, trade words and legal forms; pinyin streets; +86 phones."""

    brand_parts = ("Apex", "Summit", "Evergreen", "Harbor", "Pioneer", "Crown", "Unity", "Horizon",
                   "Sterling", "Zenith", "Golden", "Silver", "Bright", "Eastern", "Grand", "Jade",
                   "Lotus", "Orient", "Pacific", "Phoenix", "Prime", "Rising", "Royal", "Star",
                   "Sun", "Swift", "Trust", "Union", "Vast", "Wise", "Dragon", "Ever", "Great",
                   "Pearl", "River", "Sino", "Asia", "Nova", "Peak", "Bridge")
    trades = (
        ("Machinery", "Precision Manufacturing", "Industrial", "Equipment", "Hardware"),
        ("Trading", "Department Stores", "Commerce", "Supermarkets", "Retail"),
        ("E-Commerce", "Internet Technology", "Supply Chain", "Online", "Digital Commerce"),
        ("Pharmaceutical", "Biopharma", "Medicine", "Medical Devices", "Health"),
        ("Auto Parts", "Automotive Components", "Motors", "Auto", "Vehicle Parts"),
        ("Foods", "Cold Chain Foods", "Dairy", "Agricultural Products", "Fresh Produce"),
        ("Chemicals", "New Materials", "Fine Chemicals", "Plastics", "Coatings"),
        ("Electronics", "Electronic Technology", "Optoelectronics", "Smart Tech", "Semiconductor"),
    )
    suffixes = OrderedDict([("Co., Ltd.", 0.62), ("Corporation", 0.14), ("Limited Liability Co.", 0.10),
                            ("Group Co., Ltd.", 0.08), ("Holdings Inc.", 0.06)])
    formats = OrderedDict([("{c} {b} {t} {s}", 0.70), ("{b} {t} ({c}) {s}", 0.15), ("{b} {t} {s}", 0.15)])
    streets = ("Renmin Road", "Jiefang Road", "Zhongshan Road", "Jianshe Road", "Changjiang Road",
               "Huanghe Road", "Heping Road", "Xinhua Road", "Industrial Park Road",
               "Logistics Park Road", "Development Avenue", "Riverside Avenue", "Science Road",
               "Chuangye Road", "Nanjing Road", "Shengli Road", "Wenhua Road", "Yingbin Avenue",
               "Harbour Road", "Free Trade Zone Road")
    address_format = "{number} {street}, {city}"
    phone_format = "+86 {prefix}########"
    name_swaps = (("Limited Liability Co.", "Co., Ltd."), ("Co., Ltd.", "Company Limited"),
                  ("Group ", ""), ("Co., Ltd.", "Co Ltd"), ("Corporation", "Corp."))
    group_marker = "Group "
    group_anchor = "Co., Ltd."
    city_suffix = " City"
    label_locale = "en_US"
    city_field, province_field = "name_en", "province_en"
    province_prefix = False

    def brand(self) -> str:
        """:example: 'Apex Star'"""
        return " ".join(self.random_sample(self.brand_parts, length=self.random_int(1, 2)))


#: Provider class per locale.
PROVIDERS = {"zh_CN": LogisticsProvider, "en_US": LogisticsProviderEnUS}


def locale_provider(locale: str) -> type[LogisticsProvider]:
    """The provider class of ``locale``: the one place that knows which data (city and province
    names, streets, name forms) belong to a locale.

    >>> locale_provider("en_US").city_names()[:2]
    ('Shanghai', 'Hangzhou')
    """
    if locale not in PROVIDERS:
        raise ValueError(f"The value for `locale` must be one of ({', '.join(PROVIDERS)}), "
                         f"but {locale!r} was passed.")
    return PROVIDERS[locale]


def make_faker(locale: str, seed: int) -> Faker:
    """A Faker for ``locale`` with the logistics provider, seeded on this instance only."""
    fake = Faker(locale)
    fake.add_provider(locale_provider(locale))
    fake.seed_instance(seed)
    return fake
