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
        "summary": "{cases} cases in {cities} cities of {countries} countries; {unvalued} without a stated value",
        "requests": "Requests",
        "programmes": "Training programmes",
        "budget": "budget",
        "reported": "Reported figures over time",
        "cases": "{n} cases",
        "n_policies": "{n} policies",
        "cities": "{n} cities",
        "countries": "{n} countries",
        "about": "about {value}",
        "coverage": "Coverage of the {date} headline by recorded cases",
        "of": "{label}: {computed} of {reported} ({ratio})",
        "valued": "value: {n} recorded cases state a value; reported {value}",
        "converted": "{value} is {converted} at {rates}",
        "no_rate": "{value}: no {pair} rate serves {date}",
        "recorded": "recorded cases add up to {value}",
        "not_converted": "no recorded total in {currency}; values not converted: {n}",
        "cases_label": "cases",
        "cities_label": "cities",
        "countries_label": "countries",
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
        "summary": "{countries}개국 {cities}개 도시 {cases}건, 그중 금액 미공개 {unvalued}건",
        "requests": "요청",
        "programmes": "교육 프로그램",
        "budget": "예산",
        "reported": "발표된 수치 추이",
        "cases": "{n}건",
        "n_policies": "정책 {n}개",
        "cities": "{n}개 도시",
        "countries": "{n}개국",
        "about": "약 {value}",
        "coverage": "{date} 발표 수치 대비 기록된 사례",
        "of": "{label}: {reported} 중 {computed} ({ratio})",
        "valued": "금액: 금액이 공개된 사례 {n}건; 발표 금액 {value}",
        "converted": "{value} = {converted} ({rates} 기준)",
        "no_rate": "{value}: {date}에 적용할 {pair} 환율 없음",
        "recorded": "기록된 사례 합계 {value}",
        "not_converted": "{currency} 기준 기록 합계 없음; 환산하지 못한 금액: {n}건",
        "cases_label": "사례",
        "cities_label": "도시",
        "countries_label": "국가",
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
        "summary": "{cases} casos en {cities} ciudades de {countries} países; {unvalued} sin valor indicado",
        "requests": "Solicitudes",
        "programmes": "Programas de capacitación",
        "budget": "presupuesto",
        "reported": "Cifras publicadas a lo largo del tiempo",
        "cases": "{n} casos",
        "n_policies": "{n} políticas",
        "cities": "{n} ciudades",
        "countries": "{n} países",
        "about": "aproximadamente {value}",
        "coverage": "Cobertura de las cifras del {date} por los casos registrados",
        "of": "{label}: {computed} de {reported} ({ratio})",
        "valued": "valor: {n} casos registrados indican un valor; publicado {value}",
        "converted": "{value} equivale a {converted} según {rates}",
        "no_rate": "{value}: ningún tipo {pair} sirve para {date}",
        "recorded": "los casos registrados suman {value}",
        "not_converted": "sin total registrado en {currency}; valores sin convertir: {n}",
        "cases_label": "casos",
        "cities_label": "ciudades",
        "countries_label": "países",
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
