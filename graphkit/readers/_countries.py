"""Country names as Scopus and Web of Science addresses end, to ISO 3166-1 alpha-2 codes.

Only the names these exports write (``United States``, ``USA``, ``Peoples R
China``, ``England``); a name not in the table gives None rather than a guess.
A US address in Web of Science ends in a state and ZIP code (``WA 98195 USA``).

>>> country_code("United States"), country_code("WA 98195 USA"), country_code("WA USA"), country_code("Peoples R China")
('US', 'US', 'US', 'CN')
>>> country_code("Atlantis") is None
True
"""

from __future__ import annotations

import re

__all__ = ["country_code"]

_CODES = {
    "united states": "US", "usa": "US", "united states of america": "US", "u.s.a.": "US",
    "united kingdom": "GB", "uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "north ireland": "GB",
    "northern ireland": "GB", "china": "CN", "peoples r china": "CN", "people's republic of china": "CN",
    "hong kong": "HK", "taiwan": "TW", "japan": "JP", "south korea": "KR", "korea": "KR",
    "republic of korea": "KR", "india": "IN", "singapore": "SG", "israel": "IL", "germany": "DE",
    "france": "FR", "italy": "IT", "spain": "ES", "portugal": "PT", "netherlands": "NL",
    "the netherlands": "NL", "belgium": "BE", "switzerland": "CH", "austria": "AT", "sweden": "SE",
    "norway": "NO", "denmark": "DK", "finland": "FI", "iceland": "IS", "ireland": "IE", "poland": "PL",
    "czech republic": "CZ", "czechia": "CZ", "slovakia": "SK", "hungary": "HU", "romania": "RO",
    "bulgaria": "BG", "greece": "GR", "turkey": "TR", "turkiye": "TR", "russia": "RU",
    "russian federation": "RU", "ukraine": "UA", "estonia": "EE", "latvia": "LV", "lithuania": "LT",
    "slovenia": "SI", "croatia": "HR", "serbia": "RS", "luxembourg": "LU", "canada": "CA",
    "mexico": "MX", "brazil": "BR", "argentina": "AR", "chile": "CL", "colombia": "CO", "peru": "PE",
    "australia": "AU", "new zealand": "NZ", "south africa": "ZA", "egypt": "EG", "nigeria": "NG",
    "kenya": "KE", "ethiopia": "ET", "morocco": "MA", "tunisia": "TN", "saudi arabia": "SA",
    "u arab emirates": "AE", "united arab emirates": "AE", "qatar": "QA", "iran": "IR", "pakistan": "PK",
    "bangladesh": "BD", "viet nam": "VN", "vietnam": "VN", "thailand": "TH", "malaysia": "MY",
    "indonesia": "ID", "philippines": "PH", "cyprus": "CY", "malta": "MT",
    # the rest of the names the two exports write (Web of Science abbreviates some: "Bosnia & Herceg")
    "macao": "MO", "macau": "MO", "sri lanka": "LK", "nepal": "NP", "jordan": "JO", "lebanon": "LB",
    "kuwait": "KW", "oman": "OM", "bahrain": "BH", "iraq": "IQ", "syria": "SY", "yemen": "YE",
    "afghanistan": "AF", "algeria": "DZ", "libya": "LY", "sudan": "SD", "ghana": "GH", "uganda": "UG",
    "tanzania": "TZ", "cameroon": "CM", "senegal": "SN", "rwanda": "RW", "zimbabwe": "ZW", "zambia": "ZM",
    "botswana": "BW", "namibia": "NA", "mozambique": "MZ", "malawi": "MW", "benin": "BJ", "mali": "ML",
    "burkina faso": "BF", "cote ivoire": "CI", "cote d'ivoire": "CI", "dem rep congo": "CD",
    "democratic republic congo": "CD", "rep congo": "CG", "congo": "CG", "madagascar": "MG", "mauritius": "MU",
    "ecuador": "EC", "venezuela": "VE", "uruguay": "UY", "paraguay": "PY", "bolivia": "BO", "costa rica": "CR",
    "panama": "PA", "guatemala": "GT", "cuba": "CU", "puerto rico": "PR", "jamaica": "JM",
    "dominican rep": "DO", "dominican republic": "DO", "trinid & tobago": "TT", "trinidad and tobago": "TT",
    "kazakhstan": "KZ", "uzbekistan": "UZ", "kyrgyzstan": "KG", "azerbaijan": "AZ", "armenia": "AM",
    "belarus": "BY", "moldova": "MD", "albania": "AL", "montenegro": "ME",
    "macedonia": "MK", "north macedonia": "MK", "bosnia & herceg": "BA", "bosnia and herzegovina": "BA",
    "liechtenstein": "LI", "monaco": "MC", "brunei": "BN", "cambodia": "KH", "myanmar": "MM", "laos": "LA",
    "mongolia": "MN", "fiji": "FJ", "papua n guinea": "PG", "papua new guinea": "PG", "new caledonia": "NC",
    "fr polynesia": "PF", "french polynesia": "PF", "greenland": "GL", "faroe islands": "FO",
    "palestine": "PS", "state of palestine": "PS",
}  # fmt: skip
_US_STATE_ZIP = re.compile(r"^[A-Z]{2}(?: \d{5}(?:-\d{4})?)? USA$")


def country_code(text: str | None) -> str | None:
    """The ISO code of the country that ``text`` (the last part of an address) names, or None."""
    if not text:
        return None
    text = text.strip().rstrip(".")
    code = _CODES.get(text.lower())
    if code is None and _US_STATE_ZIP.match(text):
        return "US"
    return code
