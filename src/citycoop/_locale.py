"""Every word citycoop shows a reader, in every supported locale: the one label table.

Names of places, currencies, dates and numbers come from CLDR (babel); the words here are
citycoop's own: the report's phrases (:data:`WORDS`) and a label for every member of every
code list (:data:`CODES`, keyed by the code list's class name and the member's value).
This module imports nothing of the domain, so the domain may use it; a test checks that
every code-list member has a label in every locale.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from citycoop._errors import ValidationError

__all__: list[str] = []

#: The locales citycoop speaks.
LOCALES: Final = ("en", "ko", "es")

# The report's phrases; placeholders in braces are filled by the report.
WORDS: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "title": "Cooperation portfolio of {owner}",
        "mous": "MOUs",
        "signed": "signed {time} in {place}",
        "venue": "venue",
        "online": "online",
        "signatory": "signatory",
        "focus": "focus areas",
        "horizon": "{term}-term strategy ({period})",
        "no_dates": "dates not stated",
        "training": "training",
        "policies": "policies",
        "exports": "Policy export cases",
        "no_year": "year not stated",
        "value": "value",
        "unknown": "unknown",
        "summary": "{cases} in {cities} of {countries}; {unvalued} without a stated value",
        "requests": "Requests",
        "programmes": "Training programmes",
        "budget": "budget",
        "reported": "Reported figures over time",
        "about": "about {value}",
        "coverage": "Coverage of the {date} headline by recorded cases",
        "of": "{label}: {computed} of {reported} ({ratio})",
        "valued": "value: {n}; reported {value}",
        "converted": "{value} is {converted} at {rates}",
        "no_rate": "{value}: no {pair} rate serves {date}",
        "recorded": "recorded cases add up to {value}",
        "not_converted": "no recorded total in {currency}; values not converted: {n}",
        "constant_reported": "at constant {year} prices ({index}, {economy}): reported {value} (taken as at {as_of} prices) is {constant}",
        "constant_recorded": "recorded cases at constant {year} prices: {value}",
        "constant_converted": "{value} at constant {year} prices is {constant} ({method}; {rates})",
        "no_price": "{value}: no {index} value for {economy} in {year}",
        "no_economy": "{value}: {index} has no index for {code}",
        "rate": "1 {base} = {value} {quote} ({period}, {source}{inverted})",
        "inverted": ", inverted",
        "deflate_then_convert": "deflated with the own currency's index, then converted at the base year's rate",
        "convert_then_deflate": "converted at the year's rate, then deflated with the currency's index",
        "not_deflated": "no recorded total at constant {year} prices; values not deflated: {n}",
        "case_label": "cases",
        "city_label": "cities",
        "country_label": "countries",
    },
    "ko": {
        "title": "{owner} 협력 포트폴리오",
        "mous": "업무협약(MOU)",
        "signed": "{place} 시각 {time} 체결",
        "venue": "장소",
        "online": "온라인",
        "signatory": "서명자",
        "focus": "중점 분야",
        "horizon": "{term} 전략 ({period})",
        "no_dates": "기간 미공개",
        "training": "교육",
        "policies": "정책",
        "exports": "정책 수출 사례",
        "no_year": "연도 미공개",
        "value": "금액",
        "unknown": "미공개",
        "summary": "{countries} {cities} {cases}, 그중 금액 미공개 {unvalued}",
        "requests": "요청",
        "programmes": "교육 프로그램",
        "budget": "예산",
        "reported": "발표된 수치 추이",
        "about": "약 {value}",
        "coverage": "{date} 발표 수치 대비 기록된 사례",
        "of": "{label}: {reported} 중 {computed} ({ratio})",
        "valued": "금액: 금액이 공개된 사례 {n}; 발표 금액 {value}",
        "converted": "{value} = {converted} ({rates} 기준)",
        "no_rate": "{value}: {date}에 적용할 {pair} 환율 없음",
        "recorded": "기록된 사례 합계 {value}",
        "not_converted": "{currency} 기준 기록 합계 없음; 환산하지 못한 금액: {n}",
        "constant_reported": "{year}년 불변가격 기준({index}, {economy}): 발표 금액 {value}({as_of}년 가격으로 간주) = {constant}",
        "constant_recorded": "{year}년 불변가격 기준 기록된 사례 합계: {value}",
        "constant_converted": "{year}년 불변가격 기준 {value} = {constant} ({method}; {rates})",
        "no_price": "{value}: {year}년 {economy}의 {index} 값 없음",
        "no_economy": "{value}: {index}에 {code} 지수 없음",
        "rate": "1 {base} = {value} {quote} ({period}, {source}{inverted})",
        "inverted": ", 역산",
        "deflate_then_convert": "자국 통화 지수로 디플레이트한 뒤 기준 연도 환율로 환산",
        "convert_then_deflate": "해당 연도 환율로 환산한 뒤 환산 통화 지수로 디플레이트",
        "not_deflated": "{year}년 불변가격 기준 기록 합계 없음; 환산하지 못한 금액: {n}",
        "case_label": "사례",
        "city_label": "도시",
        "country_label": "국가",
    },
    "es": {
        "title": "Cartera de cooperación de {owner}",
        "mous": "Memorandos de entendimiento",
        "signed": "firmado {time} en {place}",
        "venue": "lugar",
        "online": "en línea",
        "signatory": "firmante",
        "focus": "áreas prioritarias",
        "horizon": "estrategia a {term} plazo ({period})",
        "no_dates": "fechas no indicadas",
        "training": "capacitación",
        "policies": "políticas",
        "exports": "Casos de exportación de políticas",
        "no_year": "año no indicado",
        "value": "valor",
        "unknown": "desconocido",
        "summary": "{cases} en {cities} de {countries}; {unvalued} sin valor indicado",
        "requests": "Solicitudes",
        "programmes": "Programas de capacitación",
        "budget": "presupuesto",
        "reported": "Cifras publicadas a lo largo del tiempo",
        "about": "aproximadamente {value}",
        "coverage": "Cobertura de las cifras del {date} por los casos registrados",
        "of": "{label}: {computed} de {reported} ({ratio})",
        "valued": "valor: {n}; publicado {value}",
        "converted": "{value} equivale a {converted} según {rates}",
        "no_rate": "{value}: ningún tipo {pair} sirve para {date}",
        "recorded": "los casos registrados suman {value}",
        "not_converted": "sin total registrado en {currency}; valores sin convertir: {n}",
        "constant_reported": "a precios constantes de {year} ({index}, {economy}): el valor publicado {value} (tomado a precios de {as_of}) equivale a {constant}",
        "constant_recorded": "casos registrados a precios constantes de {year}: {value}",
        "constant_converted": "{value} a precios constantes de {year} equivale a {constant} ({method}; {rates})",
        "no_price": "{value}: ningún valor de {index} para {economy} en {year}",
        "no_economy": "{value}: {index} no tiene índice para {code}",
        "rate": "1 {base} = {value} {quote} ({period}, {source}{inverted})",
        "inverted": ", invertido",
        "deflate_then_convert": "deflactado con el índice de la moneda propia y convertido al tipo del año base",
        "convert_then_deflate": "convertido al tipo del año y deflactado con el índice de la moneda",
        "not_deflated": "sin total registrado a precios constantes de {year}; valores sin deflactar: {n}",
        "case_label": "casos",
        "city_label": "ciudades",
        "country_label": "países",
    },
}

#: Counted phrases, by CLDR plural category: key -> locale -> category -> pattern. A
#: locale gives the categories its language uses (Korean only ``other``, with a counter).
COUNTS: Final[Mapping[str, Mapping[str, Mapping[str, str]]]] = {
    "case": {
        "en": {"one": "{n} case", "other": "{n} cases"},
        "ko": {"other": "{n}건"},
        "es": {"one": "{n} caso", "other": "{n} casos"},
    },
    "city": {
        "en": {"one": "{n} city", "other": "{n} cities"},
        "ko": {"other": "{n}개 도시"},
        "es": {"one": "{n} ciudad", "other": "{n} ciudades"},
    },
    "country": {
        "en": {"one": "{n} country", "other": "{n} countries"},
        "ko": {"other": "{n}개국"},
        "es": {"one": "{n} país", "other": "{n} países"},
    },
    "policy": {
        "en": {"one": "{n} policy", "other": "{n} policies"},
        "ko": {"other": "정책 {n}개"},
        "es": {"one": "{n} política", "other": "{n} políticas"},
    },
    "valued_case": {
        "en": {
            "one": "{n} recorded case states a value",
            "other": "{n} recorded cases state a value",
        },
        "ko": {"other": "{n}건"},
        "es": {
            "one": "{n} caso registrado indica un valor",
            "other": "{n} casos registrados indican un valor",
        },
    },
    "value": {
        "en": {"other": "{n}"},
        "ko": {"other": "{n}건"},
        "es": {"other": "{n}"},
    },
    # Bare counters, for "12 of 89" (Korean: 89건 중 12건, 60곳 중 10곳, 34개국 중 9개국).
    "case_counter": {"en": {"other": "{n}"}, "ko": {"other": "{n}건"}, "es": {"other": "{n}"}},
    "city_counter": {"en": {"other": "{n}"}, "ko": {"other": "{n}곳"}, "es": {"other": "{n}"}},
    "country_counter": {
        "en": {"other": "{n}"},
        "ko": {"other": "{n}개국"},
        "es": {"other": "{n}"},
    },
}

#: A label per code-list member: code list (class name) -> locale -> value -> label.
CODES: Final[Mapping[str, Mapping[str, Mapping[str, str]]]] = {
    "BudgetKind": {
        "en": {"original": "original", "revised": "revised"},
        "ko": {"original": "본예산", "revised": "수정예산"},
        "es": {"original": "original", "revised": "revisado"},
    },
    "ExportStatus": {
        "en": {
            "proposed": "proposed",
            "selected": "selected",
            "contracted": "contracted",
            "in_progress": "in progress",
            "completed": "completed",
            "cancelled": "cancelled",
        },
        "ko": {
            "proposed": "제안",
            "selected": "선정",
            "contracted": "계약",
            "in_progress": "진행 중",
            "completed": "완료",
            "cancelled": "취소",
        },
        "es": {
            "proposed": "propuesto",
            "selected": "seleccionado",
            "contracted": "contratado",
            "in_progress": "en curso",
            "completed": "completado",
            "cancelled": "cancelado",
        },
    },
    "FocusArea": {
        "en": {
            "citizen_safety": "citizen safety",
            "public_transport": "public transport",
            "digital": "digital",
            "urban_planning": "urban planning",
            "water_supply": "water supply",
            "e_government": "e-government",
            "environment": "environment",
            "capacity_building": "capacity building",
            "education": "education",
            "health": "health",
        },
        "ko": {
            "citizen_safety": "시민안전",
            "public_transport": "대중교통",
            "digital": "디지털",
            "urban_planning": "도시계획",
            "water_supply": "상수도",
            "e_government": "전자정부",
            "environment": "환경",
            "capacity_building": "역량강화",
            "education": "교육",
            "health": "보건",
        },
        "es": {
            "citizen_safety": "seguridad ciudadana",
            "public_transport": "transporte público",
            "digital": "digital",
            "urban_planning": "planificación urbana",
            "water_supply": "abastecimiento de agua",
            "e_government": "gobierno electrónico",
            "environment": "medio ambiente",
            "capacity_building": "fortalecimiento de capacidades",
            "education": "educación",
            "health": "salud",
        },
    },
    "FundingKind": {
        "en": {
            "oda_grant": "ODA grant",
            "oda_loan": "ODA loan",
            "multilateral_bank": "multilateral development bank",
            "partner_budget": "partner's budget",
            "own_budget": "own budget",
            "commercial": "commercial",
        },
        "ko": {
            "oda_grant": "ODA 무상원조",
            "oda_loan": "ODA 유상원조",
            "multilateral_bank": "다자개발은행",
            "partner_budget": "상대 도시 예산",
            "own_budget": "자체 예산",
            "commercial": "상업 자금",
        },
        "es": {
            "oda_grant": "donación de AOD",
            "oda_loan": "préstamo de AOD",
            "multilateral_bank": "banco multilateral de desarrollo",
            "partner_budget": "presupuesto del socio",
            "own_budget": "presupuesto propio",
            "commercial": "comercial",
        },
    },
    "Modality": {
        "en": {
            "online": "online",
            "in_person": "in person",
            "study_visit": "study visit",
            "degree": "degree programme",
        },
        "ko": {
            "online": "온라인",
            "in_person": "대면",
            "study_visit": "연수 방문",
            "degree": "학위 과정",
        },
        "es": {
            "online": "en línea",
            "in_person": "presencial",
            "study_visit": "visita de estudio",
            "degree": "programa de grado",
        },
    },
    "MOUStatus": {
        "en": {
            "proposed": "proposed",
            "signed": "signed",
            "active": "active",
            "completed": "completed",
            "expired": "expired",
            "terminated": "terminated",
        },
        "ko": {
            "proposed": "제안",
            "signed": "체결",
            "active": "이행 중",
            "completed": "완료",
            "expired": "만료",
            "terminated": "해지",
        },
        "es": {
            "proposed": "propuesto",
            "signed": "firmado",
            "active": "vigente",
            "completed": "cumplido",
            "expired": "vencido",
            "terminated": "rescindido",
        },
    },
    "OrgKind": {
        "en": {
            "city_government": "city government",
            "national_government": "national government",
            "national_agency": "national agency",
            "public_agency": "public agency",
            "multilateral_bank": "multilateral development bank",
            "multilateral": "multilateral organisation",
            "company": "company",
            "university": "university",
            "ngo": "NGO",
        },
        "ko": {
            "city_government": "도시 정부",
            "national_government": "중앙정부",
            "national_agency": "국가 기관",
            "public_agency": "공공기관",
            "multilateral_bank": "다자개발은행",
            "multilateral": "국제기구",
            "company": "기업",
            "university": "대학",
            "ngo": "비정부기구",
        },
        "es": {
            "city_government": "gobierno municipal",
            "national_government": "gobierno nacional",
            "national_agency": "agencia nacional",
            "public_agency": "organismo público",
            "multilateral_bank": "banco multilateral de desarrollo",
            "multilateral": "organismo multilateral",
            "company": "empresa",
            "university": "universidad",
            "ngo": "ONG",
        },
    },
    "Term": {
        "en": {"short": "short", "mid": "mid", "long": "long"},
        "ko": {"short": "단기", "mid": "중기", "long": "장기"},
        "es": {"short": "corto", "mid": "medio", "long": "largo"},
    },
}


def check_locale(locale: object, field: str = "locale") -> str:
    """*locale* if citycoop speaks it, else a :class:`ValidationError` naming *field*."""
    if not isinstance(locale, str) or locale not in LOCALES:
        raise ValidationError(field, locale, "one of " + ", ".join(LOCALES))
    return locale


def code_label(kind: str, value: str, locale: str = "en") -> str:
    """The label of member *value* of code list *kind* in *locale*."""
    return CODES[kind][check_locale(locale)][value]
