"""Interface text in English and Korean, and which of the two a request gets.

O*NET content (titles, task statements, rationales) stays in English: only the words of the interface are
translated. The language comes from `?lang=`, else the `lang` cookie (set by the visible switch), else the
browser's Accept-Language, else English.
"""

from __future__ import annotations

from collections.abc import Callable
from http.cookies import SimpleCookie

from occurisk_assets.defs.assistant.resume import NOTES

LANGUAGES = ("en", "ko")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}


def from_accept_language(header: str | None) -> str | None:
    """The supported language the browser prefers most ('ko-KR,ko;q=0.9,en;q=0.8' → 'ko')."""
    if not header:
        return None
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else None


def choose_language(query_lang: str | None, cookie_lang: str | None, accept_language: str | None) -> str:
    for candidate in (query_lang, cookie_lang):
        if candidate in LANGUAGES:
            return candidate
    return from_accept_language(accept_language) or DEFAULT_LANGUAGE


def cookies_of(scope: dict) -> dict[str, str]:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed Cookie header is no cookie
                return {}
            return {key: morsel.value for key, morsel in jar.items()}
    return {}


TEXT: dict[str, tuple[str, str]] = {
    # key: (English, Korean)
    "site_name": ("occurisk", "occurisk"),
    "tagline": ("How much of a job could AI do?", "AI가 이 일을 얼마나 할 수 있을까요?"),
    "skip": ("Skip to main content", "본문으로 건너뛰기"),
    "nav_label": ("Main menu", "주 메뉴"),
    "nav_home": ("Home", "처음"),
    "nav_explore": ("Explore all jobs", "모든 직업 살펴보기"),
    "nav_compare": ("Compare", "비교하기"),
    "nav_methodology": ("How it works", "작동 방식"),
    "nav_changes": ("Changes", "변경 내역"),
    "language": ("Language", "언어"),
    "contrast_high": ("High contrast", "고대비"),
    "contrast_normal": ("Normal contrast", "보통 대비"),
    "display_settings": ("Display settings", "화면 설정"),
    "search_label": ("What is your job?", "어떤 일을 하시나요?"),
    "search_hint": (
        "Type a job title in your own words, for example “truck driver”. Spelling mistakes are fine.",
        "직업 이름을 영어로 편하게 적어 주세요. 예: “truck driver”. 철자가 조금 틀려도 괜찮습니다.",
    ),
    "search_button": ("Search", "검색"),
    "examples": ("Examples:", "예:"),
    "home_title": (
        "Find out how exposed your job is to AI",
        "내 직업이 AI에 얼마나 영향을 받는지 알아보세요",
    ),
    "home_what_1": (
        "Every job is made of tasks. For each task of each job, AI models were asked how much of it "
        "today's AI could do.",
        "모든 직업은 여러 가지 업무로 이루어져 있습니다. 각 직업의 업무마다 오늘날의 AI가 얼마나 할 수 "
        "있는지 AI 모델들에게 물었습니다.",
    ),
    "home_what_2": (
        "The score of a job is the share of its work that AI could do: 0% means none, 100% means all of it.",
        "직업의 점수는 그 일 가운데 AI가 할 수 있는 몫입니다. 0%는 전혀 없음, 100%는 전부를 뜻합니다.",
    ),
    "home_what_3": (
        "The jobs and tasks come from O*NET, the U.S. government’s job database; "
        "numbers of workers and pay come from the U.S. Bureau of Labor Statistics.",
        "직업과 업무 정보는 미국 정부의 직업 데이터베이스인 O*NET에서, 일자리 수와 임금은 미국 노동통계국"
        "(BLS)에서 가져왔습니다.",
    ),
    "home_what_title": ("What the score means", "점수의 뜻"),
    "search_title": ("Search results", "검색 결과"),
    "results_for": ("Jobs matching “{q}”", "“{q}”와(과) 맞는 직업"),
    "n_results": ("{n} jobs found.", "{n}개의 직업을 찾았습니다."),
    "no_results": ("No job matches “{q}”.", "“{q}”와(과) 맞는 직업이 없습니다."),
    "did_you_mean": ("Did you mean:", "이것을 찾으셨나요:"),
    "try_other_words": (
        "Try other words, or fewer words, for the same job.",
        "같은 직업을 다른 말이나 더 짧은 말로 찾아 보세요.",
    ),
    "search_empty": ("Type a job title to search.", "검색할 직업 이름을 적어 주세요."),
    "matched_title": ("Matched title: {term}", "맞는 이름: {term}"),
    "ai_score": ("AI score", "AI 점수"),
    "not_scored": ("Not scored", "점수 없음"),
    "workers": ("Workers in the U.S.", "미국 내 종사자 수"),
    "median_wage": ("Median pay per year", "연간 임금 중간값"),
    "unknown": ("Not known", "알 수 없음"),
    "suppressed": ("Not published by BLS", "BLS가 공개하지 않음"),
    "top_coded": ("$239,200 or more", "239,200달러 이상"),
    "level_high": ("High exposure", "높은 노출"),
    "level_medium": ("Some exposure", "중간 노출"),
    "level_low": ("Low exposure", "낮은 노출"),
    "verdict": (
        "About {pct}% of the work in this job is work today’s AI could do.",
        "이 직업의 일 가운데 약 {pct}%는 오늘날의 AI가 할 수 있는 일입니다.",
    ),
    "verdict_rank": (
        "That is more than in {percentile}% of the {n} jobs we scored.",
        "점수를 매긴 {n}개 직업 중 {percentile}%보다 높은 수치입니다.",
    ),
    "verdict_none": (
        "None of this job’s tasks has a score yet, so we cannot say how exposed it is.",
        "이 직업의 업무에는 아직 점수가 없어서 얼마나 영향을 받는지 말씀드릴 수 없습니다.",
    ),
    "verdict_low_note": (
        "Most of this work still needs people.",
        "이 일의 대부분은 여전히 사람이 필요합니다.",
    ),
    "verdict_medium_note": (
        "AI could take over part of this work; the rest still needs people.",
        "AI가 이 일의 일부를 맡을 수 있지만 나머지는 여전히 사람이 필요합니다.",
    ),
    "verdict_high_note": (
        "AI could do much of this work. Look at the safer moves below.",
        "AI가 이 일의 많은 부분을 할 수 있습니다. 아래의 더 안전한 직업을 살펴보세요.",
    ),
    "range": (
        "The raters’ estimates range from {low}% to {high}%.",
        "평가자들의 추정치는 {low}%에서 {high}% 사이입니다.",
    ),
    "agreement_high": ("The raters agree closely.", "평가자들의 의견이 거의 같습니다."),
    "agreement_medium": ("The raters mostly agree.", "평가자들의 의견이 대체로 같습니다."),
    "agreement_low": ("The raters disagree a lot.", "평가자들의 의견이 많이 다릅니다."),
    "agreement_one": ("Only one rater scored this job.", "이 직업은 한 평가자만 점수를 매겼습니다."),
    "n_raters": ("Raters: {n}", "평가자 수: {n}"),
    "coverage": (
        "Scored tasks cover {pct}% of the work.",
        "점수가 있는 업무가 전체 일의 {pct}%를 차지합니다.",
    ),
    "gauge_title": ("AI score of {title}", "{title}의 AI 점수"),
    "gauge_desc": (
        "A dial from 0% to 100%. The needle points at {pct}%. The shaded band shows the raters’ range, "
        "{low}% to {high}%.",
        "0%에서 100%까지의 눈금판입니다. 바늘은 {pct}%를 가리킵니다. 색칠된 띠는 평가자들의 범위인 "
        "{low}%에서 {high}%를 나타냅니다.",
    ),
    "by_rater": ("Score by rater", "평가자별 점수"),
    "rater": ("Rater", "평가자"),
    # A rater's id (`provider:model`, as in the API and downloads) in plain words.
    "rater_published_gpt4_exposure": ("GPT-4, published study", "GPT-4 (발표된 연구)"),
    "rater_published_human_exposure": ("People, published study", "사람 평가자 (발표된 연구)"),
    "rater_published": ("{name}, published study", "{name} (발표된 연구)"),
    "rater_llm": ("{provider} {model}, scored by occurisk", "{provider} {model} (occurisk 채점)"),
    "score": ("Score", "점수"),
    "least_title": ("What AI is least able to do here", "이 직업에서 AI가 가장 하기 어려운 일"),
    "least_intro": (
        "These tasks have the lowest scores: they are the parts of the job most likely to stay with people.",
        "다음 업무들은 점수가 가장 낮습니다. 사람에게 남을 가능성이 가장 큰 부분입니다.",
    ),
    "tasks_title": ("Every task, most exposed first", "모든 업무 (노출이 큰 순서)"),
    "tasks_intro": (
        "Each bar shows how much of the task AI could do. Open “Why” to see what each rater said.",
        "막대는 그 업무를 AI가 얼마나 할 수 있는지를 나타냅니다. “이유”를 열면 평가자별 의견을 볼 수 "
        "있습니다.",
    ),
    "task": ("Task", "업무"),
    "share_of_work": ("Share of the job", "직업에서 차지하는 몫"),
    "why": ("Why: each rater’s score", "이유: 평가자별 점수"),
    "rationale": ("Reason given", "제시된 이유"),
    "no_rationale": ("This rater gives no reason.", "이 평가자는 이유를 제시하지 않습니다."),
    "task_not_scored": ("This task has no score yet.", "이 업무에는 아직 점수가 없습니다."),
    "bls_title": ("Work and pay", "일자리와 임금"),
    "employment": ("People in this job", "이 직업의 종사자 수"),
    "mean_wage": ("Average pay per year", "연간 평균 임금"),
    "hourly_wage": ("Median pay per hour", "시간당 임금 중간값"),
    "growth": ("Expected change in jobs, {period}", "일자리 예상 변화, {period}"),
    "growth_short": ("Expected change in jobs", "일자리 예상 변화"),
    "openings": ("Job openings each year", "매년 생기는 일자리"),
    "education": ("Usual education to start", "시작할 때 보통 필요한 학력"),
    "bls_source": (
        "Source: BLS Occupational Employment and Wage Statistics ({month}) and Employment Projections.",
        "출처: BLS 직업별 고용 및 임금 통계({month})와 고용 전망.",
    ),
    "bls_aggregate": (
        "These BLS figures cover a wider group of jobs than this one.",
        "이 BLS 수치는 이 직업보다 넓은 직업군을 다룹니다.",
    ),
    "bls_none": ("BLS publishes no figures for this job.", "BLS는 이 직업의 수치를 공개하지 않습니다."),
    "onet_title": ("Detailed jobs in this group", "이 직업군에 속한 세부 직업"),
    "onet_code": ("O*NET-SOC code", "O*NET-SOC 코드"),
    "job_zone": ("Job zone", "직무 준비 수준"),
    "job_zone_help": (
        "Job zone: how much preparation a job needs, from 1 (little) to 5 (a lot).",
        "직무 준비 수준: 그 일을 하기 위해 필요한 준비 정도로, 1(적음)부터 5(많음)까지입니다.",
    ),
    "n_tasks": ("Tasks", "업무 수"),
    "transitions_title": ("Safer jobs to move to", "옮겨 갈 만한 더 안전한 직업"),
    "transitions_intro": (
        "Similar jobs that are clearly less exposed to AI, need about the same preparation and pay about "
        "as well. Each says what carries over from this job and what you would need to learn.",
        "AI에 확실히 덜 노출되고, 준비 정도와 임금이 비슷한 직업입니다. 이 직업에서 그대로 쓸 수 있는 "
        "것과 새로 배워야 할 것을 함께 보여 드립니다.",
    ),
    "safer_by": ("— {points} points lower than this job.", "— 이 직업보다 {points}점 낮습니다."),
    "of_yours": ("{pct}% of this job’s pay", "이 직업 임금의 {pct}%"),
    "nothing_listed": ("Nothing in common is listed.", "공통된 항목이 없습니다."),
    "gap_line": (
        "{element}: level {needed} needed; this job uses {yours} (on a scale of 0 to 7)",
        "{element}: {needed} 수준 필요, 지금 직업은 {yours} (0~7 척도)",
    ),
    "no_gaps": (
        "No skill or knowledge is needed at a higher level than in this job.",
        "이 직업보다 높은 수준이 필요한 기술이나 지식이 없습니다.",
    ),
    "reason_not_scored": ("This job has no AI score yet.", "이 직업에는 아직 AI 점수가 없습니다."),
    "reason_no_candidates": (
        "No similar job has an AI score.",
        "비슷한 직업 가운데 AI 점수가 있는 직업이 없습니다.",
    ),
    "reason_no_similar_occupation_is_safer": (
        "None of the 50 most similar jobs is clearly less exposed: this job is already among the least "
        "exposed of its kind.",
        "가장 비슷한 50개 직업 가운데 확실히 덜 노출된 직업이 없습니다. 이 직업은 이미 비슷한 직업 중 가장 "
        "덜 노출된 편입니다.",
    ),
    "reason_safer_ones_need_more_preparation": (
        "The less exposed similar jobs all need much more preparation (job zone).",
        "덜 노출된 비슷한 직업들은 모두 훨씬 더 많은 준비(직무 준비 수준)가 필요합니다.",
    ),
    "reason_safer_ones_pay_less": (
        "The less exposed similar jobs within reach all pay clearly less, or their pay is not known.",
        "준비 수준이 맞는 덜 노출된 비슷한 직업들은 모두 임금이 확실히 낮거나 임금을 알 수 없습니다.",
    ),
    "no_transitions": ("No safer related job was found.", "더 안전한 관련 직업을 찾지 못했습니다."),
    "carries_over": ("What carries over", "그대로 쓸 수 있는 것"),
    "to_learn": ("What you would need to learn", "새로 배워야 할 것"),
    "compare_with": ("Compare with this job", "이 직업과 비교하기"),
    "compare_link": ("Compare {a} with {b}", "{a}와(과) {b} 비교하기"),
    "data_version": ("Data: O*NET {version}.", "데이터: O*NET {version}."),
    "api_link": ("The same data as JSON", "같은 데이터를 JSON으로"),
    "explore_title": ("Explore all jobs", "모든 직업 살펴보기"),
    "explore_intro": (
        "Each box is a job. The bigger the box, the more people do that job. The darker the box, the less "
        "of the work AI could do; the yellower, the more.",
        "상자 하나가 직업 하나입니다. 상자가 클수록 그 일을 하는 사람이 많습니다. 색이 어두울수록 AI가 할 "
        "수 있는 일이 적고, 노란색일수록 많습니다.",
    ),
    "filters": ("Choose which jobs to show", "보여 줄 직업 고르기"),
    "major_group": ("Kind of work", "일의 종류"),
    "all_groups": ("All kinds of work", "모든 종류"),
    "all_zones": ("All job zones", "모든 준비 수준"),
    "show": ("Show jobs", "직업 보기"),
    "treemap_title": ("Jobs by number of workers and AI score", "종사자 수와 AI 점수로 본 직업"),
    "treemap_desc": (
        "A treemap of {n} jobs. Box area is the number of workers, box colour the AI score. "
        "The table below lists the same jobs.",
        "{n}개 직업의 트리맵입니다. 상자 넓이는 종사자 수, 상자 색은 AI 점수입니다. 아래 표에 같은 직업이 "
        "모두 나옵니다.",
    ),
    "treemap_missing": (
        "{n} jobs without a BLS count of workers are in the table but not in the picture.",
        "BLS 종사자 수가 없는 {n}개 직업은 표에는 있지만 그림에는 없습니다.",
    ),
    "legend": ("Colour key: AI score", "색상 안내: AI 점수"),
    "ranking_title": ("Ranking", "순위"),
    "ranking_caption": (
        "{n} jobs, sorted by {sort}. Select a column heading to sort by it.",
        "{n}개 직업, {sort} 기준 정렬. 열 제목을 누르면 그 기준으로 정렬됩니다.",
    ),
    "rank": ("Rank", "순위"),
    "occupation": ("Job", "직업"),
    "download_csv": ("Download this table (CSV)", "이 표 내려받기 (CSV)"),
    "sorted_asc": ("sorted, smallest first", "오름차순 정렬됨"),
    "sorted_desc": ("sorted, largest first", "내림차순 정렬됨"),
    "no_jobs_filter": ("No scored job matches these choices.", "고른 조건에 맞는 직업이 없습니다."),
    "compare_title": ("Compare jobs", "직업 비교하기"),
    "compare_intro": (
        "Put two or three jobs side by side. Enter their SOC codes, such as 53-3032, or start from a job’s "
        "page.",
        "직업 두세 개를 나란히 비교합니다. 53-3032 같은 SOC 코드를 적거나 직업 페이지에서 시작하세요.",
    ),
    "compare_job_n": ("Job {n} (SOC code)", "직업 {n} (SOC 코드)"),
    "compare_button": ("Compare", "비교하기"),
    "compare_chart_title": ("AI score of each job", "직업별 AI 점수"),
    "compare_chart_desc": (
        "Bars from 0% to 100%, one per job; the thin line shows the raters’ range.",
        "직업마다 0%에서 100%까지의 막대가 있고, 가는 선은 평가자들의 범위를 나타냅니다.",
    ),
    "most_exposed_tasks": ("Most exposed tasks", "노출이 가장 큰 업무"),
    "least_exposed_tasks": ("Least exposed tasks", "노출이 가장 작은 업무"),
    "outlook": ("Outlook", "전망"),
    "methodology_title": ("How the scores are made", "점수를 만드는 방법"),
    "changes_title": ("Data versions and changes", "데이터 버전과 변경 내역"),
    "versions_table": ("O*NET versions", "O*NET 버전"),
    "version": ("Version", "버전"),
    "released": ("Released", "발표일"),
    "loaded": ("Loaded", "불러온 날"),
    "active": ("Shown now", "현재 표시 중"),
    "yes": ("Yes", "예"),
    "no": ("No", "아니요"),
    "n_occupations": ("Jobs", "직업 수"),
    "n_scored": ("Jobs scored", "점수가 있는 직업 수"),
    "diff_title": (
        "What changed in O*NET {version} since {baseline}",
        "O*NET {baseline} 이후 {version}의 변경 내역",
    ),
    "diff_none": ("No change report has been made yet.", "아직 변경 보고서가 없습니다."),
    "change_counts": ("Changes", "변경"),
    "what": ("What", "항목"),
    "how_many": ("How many", "개수"),
    "tasks_added": ("Tasks added", "추가된 업무"),
    "tasks_removed": ("Tasks removed", "삭제된 업무"),
    "tasks_reworded": ("Tasks reworded", "문구가 바뀐 업무"),
    "tasks_redated": ("Tasks re-dated", "날짜가 바뀐 업무"),
    "occupations_added": ("Jobs added", "추가된 직업"),
    "occupations_removed": ("Jobs removed", "삭제된 직업"),
    "occupations_retitled": ("Jobs renamed", "이름이 바뀐 직업"),
    "rank_movers": ("Jobs whose rank moved most", "순위가 가장 많이 바뀐 직업"),
    "rank_before": ("Rank before", "이전 순위"),
    "rank_after": ("Rank after", "이후 순위"),
    "score_before": ("Score before", "이전 점수"),
    "score_after": ("Score after", "이후 점수"),
    "row_counts": ("Rows per O*NET file", "O*NET 파일별 행 수"),
    "file": ("File", "파일"),
    "before": ("Before", "이전"),
    "after": ("After", "이후"),
    "not_found_title": ("Page not found", "페이지를 찾을 수 없습니다"),
    "not_found_text": (
        "We could not find that page. Search for a job instead:",
        "그 페이지를 찾지 못했습니다. 대신 직업을 검색해 보세요:",
    ),
    "bad_request_title": ("There is a problem with the address", "주소에 문제가 있습니다"),
    "bad_request_text": ("Please fix the following and try again:", "다음을 고친 뒤 다시 시도해 주세요:"),
    "error_title": ("Sorry, something went wrong", "죄송합니다. 문제가 생겼습니다"),
    "unavailable_text": (
        "The data is not available right now. Please try again in a few minutes.",
        "지금은 데이터를 볼 수 없습니다. 몇 분 뒤에 다시 시도해 주세요.",
    ),
    "error_summary": ("There is a problem", "문제가 있습니다"),
    "csrf_title": ("This form could not be sent", "이 양식을 보낼 수 없었습니다"),
    "csrf_text": (
        "The page was open for too long, or the form came from another website. Nothing was saved.",
        "페이지가 너무 오래 열려 있었거나 다른 웹사이트에서 보낸 양식입니다. 아무것도 저장되지 않았습니다.",
    ),
    "csrf_what_to_do": (
        "Go back, reload the page (press F5, or pull down on a phone), and send the form again.",
        "뒤로 돌아가 페이지를 새로 고친 뒤(F5 키, 또는 휴대폰에서는 화면을 아래로 당기기) 양식을 다시 보내 주세요.",
    ),
    "too_large_title": ("What you sent is too large", "보낸 내용이 너무 큽니다"),
    "too_large_text": (
        "This form takes at most {limit} at a time; what you sent is larger. Nothing was saved.",
        "이 양식은 한 번에 최대 {limit}까지 받을 수 있는데, 보낸 내용이 그보다 큽니다. 아무것도 저장되지 않았습니다.",
    ),
    "too_large_what_to_do": (
        "Go back, shorten the text you pasted or choose a smaller file, and send the form again.",
        "뒤로 돌아가 붙여 넣은 글을 줄이거나 더 작은 파일을 골라 양식을 다시 보내 주세요.",
    ),
    "attribution_short": (
        "Job and task information: O*NET {version} Database, U.S. Department of Labor, Employment and "
        "Training Administration (USDOL/ETA), used under the CC BY 4.0 license. Wages and job counts: "
        "U.S. Bureau of Labor Statistics.",
        "직업과 업무 정보: 미국 노동부 고용훈련청(USDOL/ETA)의 O*NET {version} 데이터베이스, CC BY 4.0 "
        "라이선스로 사용. 임금과 일자리 수: 미국 노동통계국(BLS).",
    ),
    "english_content": (
        "Job titles and task descriptions are shown in English, as published by O*NET.",
        "직업 이름과 업무 설명은 O*NET이 발표한 대로 영어로 표시됩니다.",
    ),
    "table_alternative": ("The same as a table", "같은 내용을 표로 보기"),
    "percent": ("{pct}%", "{pct}%"),
    # The result pages of a person's profile (web/routes/assistant_results.py).
    "steps_label": ("Your steps", "진행 단계"),
    "aw_next_steps": ("Next: see what your work history means", "다음: 내 경력이 무엇을 뜻하는지 보기"),
    "step_history": ("1. Your work history", "1. 나의 경력"),
    "step_exposure": ("2. Your exposure", "2. 나의 AI 노출"),
    "step_transitions": ("3. Where your experience carries", "3. 내 경력을 살릴 수 있는 곳"),
    "step_resume": ("4. Your résumé", "4. 나의 이력서"),
    "step_letter": ("5. Cover letter", "5. 자기소개서"),
    "step_postings": ("6. Job ads for you", "6. 나에게 맞는 구인 광고"),
    "private_link": (
        "This page is private: only people with this link can open it. Keep the link to come back.",
        "이 페이지는 비공개입니다. 이 링크를 가진 사람만 열 수 있습니다. 다시 오려면 링크를 보관해 두세요.",
    ),
    "exposure_title": ("Your exposure to AI", "나의 AI 노출 정도"),
    "personal_verdict": (
        "About {pct}% of the work you did is work today’s AI could do.",
        "내가 해 온 일 가운데 약 {pct}%는 오늘날의 AI가 할 수 있는 일입니다.",
    ),
    "verdict_low_personal": (
        "Most of your work still needs people.",
        "내 일의 대부분은 여전히 사람이 필요합니다.",
    ),
    "verdict_medium_personal": (
        "AI could help with part of your work; the rest still needs people like you.",
        "AI가 내 일의 일부를 도울 수 있지만, 나머지는 여전히 나 같은 사람이 필요합니다.",
    ),
    "verdict_high_personal": (
        "AI could do much of the work you did. Your experience still counts: the next step shows jobs "
        "where it carries over.",
        "AI가 내가 해 온 일의 많은 부분을 할 수 있습니다. 그래도 내 경험은 쓸모가 있습니다. 다음 단계에서 "
        "경험을 살릴 수 있는 직업을 보여 드립니다.",
    ),
    "personal_none": (
        "None of the tasks you ticked has a score yet, so we cannot say how exposed your work is.",
        "고른 업무에 아직 점수가 없어서 내 일이 얼마나 영향을 받는지 말씀드릴 수 없습니다.",
    ),
    "not_a_chance": (
        "This is a share of the work, not the chance of losing your job. AI doing part of a job often "
        "changes the job instead.",
        "이 숫자는 일의 몫이지, 일자리를 잃을 가능성이 아닙니다. AI가 일의 일부를 하면 일자리가 없어지기보다 "
        "일의 내용이 바뀌는 경우가 많습니다.",
    ),
    "personal_compare_title": ("Compared with your job’s average", "내 직업의 평균과 비교"),
    "personal_average": (
        "For everyone in your job, counting all of its tasks, the figure is about {pct}%.",
        "같은 직업의 모든 업무를 따지면 이 수치는 약 {pct}%입니다.",
    ),
    "personal_below": (
        "The tasks you did are {points} points less exposed than that.",
        "내가 한 업무는 그보다 {points}점 덜 노출되어 있습니다.",
    ),
    "personal_above": (
        "The tasks you did are {points} points more exposed than that.",
        "내가 한 업무는 그보다 {points}점 더 노출되어 있습니다.",
    ),
    "personal_same": ("The tasks you did are about the same.", "내가 한 업무도 거의 같습니다."),
    "per_job_caption": ("Each of your jobs", "내 일자리별"),
    "your_score": ("The tasks you did", "내가 한 업무"),
    "job_average": ("All of this job’s tasks", "이 직업의 모든 업무"),
    "weighting_title": ("How your figure is worked out", "이 수치를 내는 방법"),
    "weighting_tasks": (
        "Within a job, each task you ticked counts as much as it does in that job’s work, according to O*NET.",
        "한 일자리 안에서는 내가 고른 각 업무가 O*NET 기준으로 그 직업의 일에서 차지하는 만큼 반영됩니다.",
    ),
    "weighting_jobs": (
        "Across your jobs, a job you did for longer counts more: each counts by its number of years.",
        "여러 일자리 사이에서는 오래 한 일자리가 더 크게 반영됩니다. 일한 햇수만큼 반영됩니다.",
    ),
    "weighting_duties": (
        "Duties you wrote in your own words have no score; they are left out of the figure, not guessed.",
        "내 말로 적은 업무에는 점수가 없습니다. 짐작하지 않고 수치에서 뺍니다.",
    ),
    "weighting_more": ("How the scores are made", "점수를 만드는 방법"),
    "in_job": ("In your job: {job}", "일자리: {job}"),
    "personal_least_title": ("Your tasks that most need people", "사람이 가장 필요한 내 업무"),
    "personal_least_intro": (
        "These tasks you did have the lowest scores. They are strengths to put first on your résumé.",
        "내가 한 업무 가운데 점수가 가장 낮은 업무입니다. 이력서 앞부분에 내세울 강점입니다.",
    ),
    "personal_most_title": ("Your tasks AI could do most", "AI가 가장 많이 할 수 있는 내 업무"),
    "personal_most_intro": (
        "These tasks you did have the highest scores. Each rater’s score is shown.",
        "내가 한 업무 가운데 점수가 가장 높은 업무입니다. 평가자별 점수를 함께 보여 드립니다.",
    ),
    "personal_no_tasks": (
        "You have not ticked any scored task yet.",
        "아직 점수가 있는 업무를 고르지 않았습니다.",
    ),
    "next_transitions": ("Next: where your experience carries", "다음: 내 경력을 살릴 수 있는 곳"),
    "carries_title": ("Where your experience carries", "내 경력을 살릴 수 있는 곳"),
    "carries_intro": (
        "Jobs that are less exposed to AI and use work you have already done. Those that share most of your "
        "own tasks come first. Each shows what carries over and what you would need to learn.",
        "AI에 덜 노출되고, 이미 해 본 일을 쓰는 직업입니다. 내 업무와 가장 많이 겹치는 직업이 먼저 나옵니다. "
        "그대로 쓸 수 있는 것과 새로 배워야 할 것을 함께 보여 드립니다.",
    ),
    "safer_than": (
        "— {points} points lower than {job}.",
        "— {job}보다 {points}점 낮습니다.",
    ),
    "carried_share": (
        "Shares {pct}% of the kinds of work in your ticked tasks.",
        "내가 고른 업무의 일 종류 가운데 {pct}%가 겹칩니다.",
    ),
    "gap_line_personal": (
        "{element}: level {needed} needed; your job uses {yours} (on a scale of 0 to 7)",
        "{element}: {needed} 수준 필요, 내 직업은 {yours} (0~7 척도)",
    ),
    "no_gaps_personal": (
        "No skill is needed at a higher level than in your job.",
        "내 직업보다 높은 수준이 필요한 기술이 없습니다.",
    ),
    "carries_none": (
        "We found no less exposed job that shares your work. Your résumé can still show your strengths.",
        "내 일과 겹치면서 덜 노출된 직업을 찾지 못했습니다. 그래도 이력서로 내 강점을 보여 줄 수 있습니다.",
    ),
    "next_resume": ("Next: your résumé", "다음: 나의 이력서"),
    "resume_title": ("Your résumé", "나의 이력서"),
    "resume_intro": (
        "A draft made only from what you told us: your jobs, years, employers and tasks. Nothing is made up. "
        "You can change every word.",
        "알려 주신 내용(일자리, 기간, 회사, 업무)만으로 만든 초안입니다. 지어낸 내용은 없습니다. 모든 문장을 "
        "고칠 수 있습니다.",
    ),
    "resume_saved_draft": ("Your new draft is ready below.", "새 초안이 아래에 준비되었습니다."),
    "resume_saved_text": (
        "Your changes are saved. The downloads use your text.",
        "고친 내용을 저장했습니다. 내려받는 파일에 내가 쓴 글이 들어갑니다.",
    ),
    "resume_choices": ("Your choices", "선택 사항"),
    "resume_target": (
        "Job you are aiming for (you do not have to choose)",
        "지원하려는 직업 (골라도 되고 안 골라도 됩니다)",
    ),
    "resume_target_hint": (
        "The draft puts first the tasks that this job also needs.",
        "초안에서 이 직업에도 필요한 업무를 앞에 둡니다.",
    ),
    "resume_no_target": ("No particular job", "특정 직업 없음"),
    "age_neutral_label": ("Leave out early dates", "오래된 날짜 빼기"),
    "age_neutral_hint": (
        "Some employers judge people by age. With this ticked, jobs that ended more than 15 years ago are "
        "listed without their years, and the résumé does not add up your total years. You decide.",
        "나이로 사람을 판단하는 고용주도 있습니다. 이것을 고르면 15년도 더 전에 끝난 일자리는 연도 없이 "
        "적고, 경력 햇수의 합계도 적지 않습니다. 직접 정하세요.",
    ),
    "llm_label": (
        "Improve the wording with AI (sends my text to OpenAI or Anthropic)",
        "AI로 문장 다듬기 (내 글을 OpenAI 또는 Anthropic에 보냅니다)",
    ),
    "llm_hint": (
        "Off unless you tick it. If you tick it, the text of your résumé is sent to the company whose AI "
        "does the rewording. A rewording that adds anything you did not tell us is thrown away and the "
        "plain draft is kept.",
        "직접 고르지 않으면 꺼져 있습니다. 고르면 이력서 글이 문장을 다듬는 AI 회사로 보내집니다. 알려 주지 "
        "않은 내용이 더해진 결과는 버리고 기본 초안을 그대로 씁니다.",
    ),
    "resume_make": ("Make a new draft", "새 초안 만들기"),
    "resume_draft": ("The draft", "초안"),
    "resume_has_edit": (
        "You have changed the text below; your version is the one you download.",
        "아래 글을 고치셨습니다. 내려받는 파일은 고친 글입니다.",
    ),
    "resume_summary": ("Summary", "요약"),
    "resume_experience": ("Experience", "경력"),
    "resume_earlier": ("earlier experience, without dates", "이전 경력, 날짜 없음"),
    "resume_skills": ("Skills", "기술"),
    "resume_edit": ("Change the text", "글 고치기"),
    "resume_text_label": ("Your résumé text", "이력서 글"),
    "resume_text_hint": (
        "Change anything you like, then save. Making a new draft later replaces your changes.",
        "원하는 대로 고친 뒤 저장하세요. 나중에 새 초안을 만들면 고친 내용이 바뀝니다.",
    ),
    "resume_save": ("Save my changes", "고친 내용 저장"),
    "download_title": ("Download", "내려받기"),
    "download_docx": ("Word file (.docx)", "워드 파일 (.docx)"),
    "download_pdf": ("PDF file (.pdf)", "PDF 파일 (.pdf)"),
    "download_txt": ("Plain text (.txt)", "텍스트 파일 (.txt)"),
    "next_letter": ("Next: a cover letter", "다음: 자기소개서"),
    "letter_title": ("A cover letter for a job", "지원할 일자리의 자기소개서"),
    "letter_intro": (
        "Paste the job advert. We list what it asks for, show which of those your history covers, and write a "
        "letter from your résumé.",
        "채용 공고를 붙여 넣으세요. 공고가 요구하는 것을 정리하고, 그중 내 경력에 있는 것을 보여 드리고, 이력서로 "
        "자기소개서를 씁니다.",
    ),
    "posting_label": ("The job advert", "채용 공고"),
    "posting_hint": ("Copy the whole advert and paste it here.", "공고 전체를 복사해 여기에 붙여 넣으세요."),
    "letter_make": ("Write my letter", "자기소개서 쓰기"),
    "checklist_title": ("What the job asks for", "일자리가 요구하는 것"),
    "checklist_intro": (
        "Each requirement of the advert, and whether your history shows it.",
        "공고의 요구 사항마다 내 경력에 나타나 있는지 보여 드립니다.",
    ),
    "req_met": ("In your history", "내 경력에 있음"),
    "req_not_shown": ("Not shown in your history", "내 경력에 나타나지 않음"),
    "req_evidence": ("Shown by:", "근거:"),
    "letter_text": ("Your letter", "자기소개서"),
    "nav_check_ad": ("Check a job ad", "구인 광고 확인하기"),
    "error_prefix": ("Error", "오류"),
    "check_ad_title": ("Check a job ad", "구인 광고 확인하기"),
    "check_ad_intro": (
        "Paste a job ad. We will tell you which job it is, how exposed that job is to AI, and which of the "
        "ad’s duties AI could do most and least.",
        "구인 광고를 붙여 넣으세요. 어떤 직업인지, 그 직업이 AI에 얼마나 영향을 받는지, 광고에 적힌 업무 "
        "가운데 AI가 가장 많이 또는 가장 적게 할 수 있는 일이 무엇인지 알려 드립니다.",
    ),
    "check_ad_title_label": ("Job title in the ad", "광고의 직업 이름"),
    "check_ad_title_hint": ("For example “Warehouse associate”.", "예: “Warehouse associate”."),
    "check_ad_description_label": ("The text of the ad", "광고 내용"),
    "check_ad_description_hint": (
        "Copy the whole ad, with its list of duties if it has one. Only ads in English can be checked.",
        "업무 목록이 있으면 함께, 광고 전체를 복사해 넣으세요. 영어로 된 광고만 확인할 수 있습니다.",
    ),
    "check_ad_button": ("Check the ad", "광고 확인하기"),
    "check_ad_privacy": (
        "We do not keep the ad you paste.",
        "붙여 넣은 광고는 저장하지 않습니다.",
    ),
    "check_ad_unavailable": (
        "Checking ads is not available right now. Please try again later.",
        "지금은 광고를 확인할 수 없습니다. 나중에 다시 시도해 주세요.",
    ),
    "check_ad_result_title": ("What this job ad is", "이 구인 광고의 직업"),
    "check_ad_your_ad": ("Your ad: “{title}”", "입력한 광고: “{title}”"),
    "check_ad_not_english": (
        "This ad does not seem to be in English, so we cannot tell which job it is.",
        "이 광고는 영어가 아닌 것 같아서 어떤 직업인지 알 수 없습니다.",
    ),
    "check_ad_occupation_heading": ("Which job this is", "어떤 직업인가요"),
    "check_ad_low_confidence": (
        "We are not sure which job this is: our best guess is only {pct}% sure. Look at the other "
        "possible jobs too.",
        "어떤 직업인지 확실하지 않습니다. 가장 가까운 추측도 {pct}%만 확실합니다. 다른 후보 직업도 "
        "살펴보세요.",
    ),
    "check_ad_confidence": ("How sure we are: {pct}%", "확실한 정도: {pct}%"),
    "check_ad_confidence_explained": (
        "“How sure we are” is how well the ad’s words fit each job, as our job-matching model judges it. "
        "It says nothing about your chances of getting the job.",
        "“확실한 정도”는 광고의 말이 각 직업과 얼마나 잘 맞는지를 직업 분류 모델이 판단한 값입니다. 채용될 "
        "가능성과는 관계가 없습니다.",
    ),
    "check_ad_exposure_heading": ("How exposed this job is to AI", "이 직업이 AI에 받는 영향"),
    "check_ad_exposure": (
        "This is the score of {title}: about {pct}% of the work in that job is work today’s AI could do.",
        "{title}의 점수입니다. 그 직업의 일 가운데 약 {pct}%는 오늘날의 AI가 할 수 있는 일입니다.",
    ),
    "check_ad_most_heading": ("The ad’s duties AI could do most", "AI가 가장 많이 할 수 있는 광고의 업무"),
    "check_ad_least_heading": ("The ad’s duties AI could do least", "AI가 가장 적게 할 수 있는 광고의 업무"),
    "check_ad_duties_explained": (
        "Each duty in the ad is matched to the closest task in O*NET, the U.S. job database. The score is "
        "that task’s AI score.",
        "광고의 각 업무를 미국 직업 데이터베이스 O*NET에서 가장 가까운 업무와 짝지었습니다. 점수는 그 "
        "업무의 AI 점수입니다.",
    ),
    "check_ad_nearest_task": ("Closest O*NET task:", "가장 가까운 O*NET 업무:"),
    "check_ad_no_duties": (
        "We could not find a list of duties in the ad, so we cannot say which duties are most exposed.",
        "광고에서 업무 목록을 찾지 못해 어떤 업무가 가장 영향을 받는지 말씀드릴 수 없습니다.",
    ),
    "check_ad_another": ("Check another job ad", "다른 구인 광고 확인하기"),
    # A person's matched job ads (web/routes/profile_postings.py).
    "pp_title": ("Job ads for you", "나에게 맞는 구인 광고"),
    "pp_intro": (
        "These are the job ads on this site closest to the work you did, closest first.",
        "이 사이트의 구인 광고 가운데 내가 해 온 일과 가장 가까운 것부터 보여 드립니다.",
    ),
    "pp_no_chance": (
        "No number on this page is your chance of getting a job. No such number exists: we do not know "
        "who gets hired, so we cannot work it out.",
        "이 페이지의 어떤 숫자도 채용될 가능성이 아닙니다. 그런 숫자는 없습니다. 누가 채용되는지 알 수 "
        "없기 때문에 계산할 수 없습니다.",
    ),
    "pp_count": (
        "{total} job ads, closest to your work first.",
        "구인 광고 {total}개, 내 일과 가까운 순서입니다.",
    ),
    "pp_occupation": ("Kind of job", "직업 종류"),
    "pp_exposure": ("Exposure to AI", "AI 노출 정도"),
    "pp_exposure_explained": (
        "About {pct}% of the work in {title} is work today’s AI could do.",
        "{title}의 일 가운데 약 {pct}%는 오늘날의 AI가 할 수 있는 일입니다.",
    ),
    "pp_why": ("Why it is on your list", "목록에 있는 까닭"),
    "pp_reason_requirement": ("The ad asks for", "광고가 요구하는 일:"),
    "pp_reason_yours": ("You did", "내가 한 일:"),
    "pp_reason_task": (
        "One of its duties is a task you said you did:",
        "광고의 업무 하나가 내가 했다고 고른 업무입니다:",
    ),
    "pp_reason_same_job": (
        "It is the same kind of job as yours: {job}.",
        "내 일과 같은 종류의 직업입니다: {job}.",
    ),
    "pp_reason_close_job": (
        "It is a kind of job close to yours: {job}.",
        "내 일과 가까운 종류의 직업입니다: {job}.",
    ),
    "pp_reason_words_only": (
        "None of its duties matches yours closely. It is on the list because some of its words are like "
        "the words of your work.",
        "광고의 업무 가운데 내 일과 아주 가까운 것은 없습니다. 광고의 말 일부가 내 일을 설명하는 말과 "
        "비슷해서 목록에 있습니다.",
    ),
    "pp_open_ad": ("Open the job ad", "구인 광고 열기"),
    "pp_outcome_legend": ("What happened with this job?", "이 일자리는 어떻게 되었나요?"),
    "pp_outcome_hint": (
        "Only you can see this. Change it whenever things move on.",
        "나만 볼 수 있습니다. 상황이 바뀌면 언제든지 바꾸세요.",
    ),
    "pp_outcome_current": ("You marked: {outcome}.", "표시한 내용: {outcome}."),
    "pp_outcome_applied": ("I applied", "지원했습니다"),
    "pp_outcome_interview": ("I had an interview", "면접을 보았습니다"),
    "pp_outcome_offer": ("I got an offer", "채용 제안을 받았습니다"),
    "pp_outcome_rejected": ("I was turned down", "불합격했습니다"),
    "pp_outcome_save": ("Save", "저장하기"),
    "pp_saved": ("Saved.", "저장했습니다."),
    "pp_pages": ("Pages of job ads", "구인 광고 페이지"),
    "pp_page_of": ("Page {page} of {pages}", "{pages}쪽 가운데 {page}쪽"),
    "pp_previous": ("Previous page", "이전 페이지"),
    "pp_next": ("Next page", "다음 페이지"),
    "pp_past_end": (
        "There is no page {page}. The last page of job ads is page {pages}.",
        "{page}쪽은 없습니다. 구인 광고의 마지막 쪽은 {pages}쪽입니다.",
    ),
    "pp_first_page": ("Go to the first page", "첫 페이지로 가기"),
    "pp_order_title": ("How we put the ads in order", "광고를 줄 세우는 방법"),
    "pp_order": (
        "Ads come first when their words are close to your duties and tasks, when they are the same kind "
        "of job as yours or a close one, and when AI could do less of the work.",
        "광고의 말이 내 업무와 가까울수록, 내 일과 같거나 가까운 직업일수록, AI가 할 수 있는 일이 "
        "적을수록 앞에 나옵니다.",
    ),
    "pp_empty_title": ("There are no job ads yet", "아직 구인 광고가 없습니다"),
    "pp_empty": (
        "No job ads have been added to this site yet, so there is nothing to match to your work. Come back "
        "later, or check a single job ad you have found.",
        "이 사이트에 아직 구인 광고가 들어오지 않아서 내 일과 맞춰 볼 광고가 없습니다. 나중에 다시 오시거나, "
        "찾아 둔 구인 광고 하나를 확인해 보세요.",
    ),
    "pp_empty_admin": (
        "If you run this site, add job ads with one of these commands:",
        "이 사이트를 운영한다면 다음 명령 가운데 하나로 구인 광고를 넣으세요:",
    ),
    "pp_empty_import": (
        "reads a file of job ads (JSON Lines or CSV).",
        "구인 광고 파일(JSON Lines 또는 CSV)을 읽습니다.",
    ),
    "pp_empty_crawl": (
        "collects the ads of a job board that allows it.",
        "허용하는 구인 게시판의 광고를 모읍니다.",
    ),
    "pp_empty_check_ad": ("Check a job ad", "구인 광고 확인하기"),
    "home_check_ad": (
        "Looking at a job ad? Check which job it is and how exposed it is to AI.",
        "구인 광고를 보고 계신가요? 어떤 직업이고 AI에 얼마나 영향을 받는지 확인해 보세요.",
    ),
    # The assistant: building a profile (web/routes/assistant_history.py)
    "nav_my_work": ("Your work and AI", "내 일과 AI"),
    "home_my_work_title": ("Looking for your next job?", "다음 일자리를 찾고 계신가요?"),
    "home_my_work_text": (
        "Tell us the jobs you have done. We show which of your tasks AI is taking over, where your "
        "experience carries, and help you write a résumé.",
        "지금까지 해 온 일을 알려 주세요. AI가 대신하고 있는 업무, 경험을 살릴 수 있는 일자리를 보여 주고 "
        "이력서 작성을 도와드립니다.",
    ),
    "aw_start_title": ("Your work history and AI", "내 경력과 AI"),
    "aw_start_lead": (
        "Tell us what you did at work. We will show how much of your own work AI could do, which jobs "
        "your experience fits, and help you write a résumé and a cover letter.",
        "직장에서 하신 일을 알려 주세요. 내가 한 일 중 AI가 할 수 있는 부분이 얼마나 되는지, 내 경험에 맞는 "
        "일자리는 무엇인지 보여 드리고, 이력서와 자기소개서 작성을 도와드립니다.",
    ),
    "aw_start_step_1": ("Add the jobs you have had, one at a time.", "해 온 일을 하나씩 추가합니다."),
    "aw_start_step_2": (
        "For each job, tick the tasks you did and add your own in your words.",
        "일마다 내가 한 업무에 표시하고, 내 말로 업무를 더 적습니다.",
    ),
    "aw_start_step_3": (
        "Or use a résumé you already have: we read it and you check what we found.",
        "또는 가지고 있는 이력서를 올리세요. 저희가 읽고, 찾은 내용을 직접 확인하시면 됩니다.",
    ),
    "aw_start_privacy_title": ("Your information", "내 정보"),
    "aw_start_no_llm": (
        "Everything runs on this website. Nothing you write is sent to an AI company unless you say yes "
        "to that later.",
        "모든 일은 이 웹사이트 안에서 처리됩니다. 나중에 직접 동의하지 않는 한, 적으신 내용은 AI 회사로 보내지지 "
        "않습니다.",
    ),
    "aw_start_private_link": (
        "There is no account or password. You get a private link: only someone with that link can see your "
        "information. Bookmark it to come back.",
        "계정이나 비밀번호는 없습니다. 나만의 링크를 드리며, 그 링크를 가진 사람만 내 정보를 볼 수 있습니다. "
        "다시 오시려면 링크를 북마크(즐겨찾기)해 두세요.",
    ),
    "aw_start_delete": (
        "You can delete everything at any time. If you do not come back for 30 days, we delete it for you.",
        "언제든지 모든 정보를 지울 수 있습니다. 30일 동안 다시 오지 않으시면 자동으로 지워집니다.",
    ),
    "aw_start_button": ("Add your first job", "첫 번째 일 추가하기"),
    "aw_start_resume_button": ("Use a résumé you already have", "가지고 있는 이력서 사용하기"),
    "aw_history_title": ("Your work history", "내 경력"),
    "aw_bookmark_title": ("Bookmark this page", "이 페이지를 북마크하세요"),
    "aw_bookmark_text": (
        "This is your private link. Save it or write it down: it is the only way back to your information. "
        "Do not share it with anyone you do not trust.",
        "이것이 나만의 링크입니다. 저장하거나 적어 두세요. 내 정보로 돌아오는 유일한 방법입니다. 믿을 수 없는 "
        "사람에게는 알려 주지 마세요.",
    ),
    "aw_jobs_title": ("Jobs you added ({n})", "추가한 일 ({n}개)"),
    "aw_occupation": ("Kind of job (SOC code)", "직업 종류 (SOC 코드)"),
    "aw_years": ("Years", "기간"),
    "aw_now": ("now", "현재"),
    "aw_employer": ("Employer", "회사"),
    "aw_tasks_ticked": ("What you did", "한 일"),
    "aw_n_tasks": ("{n} tasks ticked", "업무 {n}개 선택"),
    "aw_n_duties": ("{n} in your own words", "직접 적은 업무 {n}개"),
    "aw_change_details": ("Change years or employer", "기간이나 회사 바꾸기"),
    "aw_change_tasks": ("Change tasks", "업무 바꾸기"),
    "aw_remove": ("Remove", "지우기"),
    "aw_add_another": ("Add another job", "다른 일 추가하기"),
    "aw_delete_title": ("Delete everything", "모두 지우기"),
    "aw_delete_link": ("Delete all my information", "내 정보 모두 지우기"),
    "aw_delete_confirm_title": ("Delete all your information?", "내 정보를 모두 지울까요?"),
    "aw_delete_confirm_text": (
        "This deletes your {n} jobs, the tasks you ticked, what you wrote, and any résumé or letter made "
        "from them.",
        "추가한 일 {n}개, 선택한 업무, 직접 적은 내용, 그리고 그것으로 만든 이력서와 자기소개서를 모두 지웁니다.",
    ),
    "aw_delete_cannot_undo": ("You cannot undo this.", "되돌릴 수 없습니다."),
    "aw_delete_button": ("Yes, delete everything", "네, 모두 지웁니다"),
    "aw_cancel": ("No, go back", "아니요, 돌아가기"),
    "aw_deleted_title": ("You have deleted everything", "모두 지웠습니다"),
    "aw_deleted_text": (
        "Your jobs, tasks, résumé and letters are gone from our database. Your private link no longer works.",
        "내 일, 업무, 이력서와 자기소개서가 데이터베이스에서 지워졌습니다. 나만의 링크는 더 이상 쓸 수 없습니다.",
    ),
    "aw_deleted_next": ("You can start again at any time.", "언제든지 다시 시작할 수 있습니다."),
    "aw_start_again": ("Start again", "다시 시작하기"),
    "aw_find_title": ("What was the job called?", "어떤 일이었나요?"),
    "aw_find_hint": (
        "Type the job title in your own words, for example “customer service”. Spelling mistakes are fine.",
        "직업 이름을 영어로 편하게 적어 주세요. 예: “customer service”. 철자가 조금 틀려도 괜찮습니다.",
    ),
    "aw_find_choose": ("Which of these is closest?", "다음 중 가장 가까운 것은 무엇인가요?"),
    "aw_find_choose_hint": ("Choose one, then press Continue.", "하나를 고른 뒤 계속을 누르세요."),
    "aw_continue": ("Continue", "계속"),
    "aw_details_title": ("When did you do this job?", "언제 이 일을 하셨나요?"),
    "aw_field_title": ("Your job title", "내 직함"),
    "aw_field_title_hint": ("As you would write it on a résumé.", "이력서에 쓰듯이 적어 주세요."),
    "aw_field_start_year": ("Year you started", "시작한 해"),
    "aw_field_start_year_hint": ("For example 1998", "예: 1998"),
    "aw_field_end_year": ("Year you stopped (optional)", "그만둔 해 (선택)"),
    "aw_field_end_year_hint": ("Leave empty if you still do this job.", "지금도 하고 있다면 비워 두세요."),
    "aw_field_employer": ("Employer (optional)", "회사 (선택)"),
    "aw_field_employer_hint": ("The company or organisation you worked for.", "일한 회사나 기관 이름입니다."),
    "aw_tasks_title": ("What did you do in this job?", "이 일에서 무엇을 하셨나요?"),
    "aw_tasks_legend": ("Tick the tasks you did", "내가 한 업무에 표시하세요"),
    "aw_tasks_hint": (
        "These are the tasks of this kind of job in O*NET. Tick all that you did; leave the others.",
        "O*NET에 있는 이 직업의 업무입니다. 내가 한 업무에 모두 표시하고 나머지는 그대로 두세요.",
    ),
    "aw_duties_label": (
        "Other things you did, in your own words (optional)",
        "그 밖에 한 일, 내 말로 (선택)",
    ),
    "aw_duties_hint": (
        "One thing per line, for example “Trained new staff on the billing system”.",
        "한 줄에 하나씩 적어 주세요. 예: “Trained new staff on the billing system”.",
    ),
    "aw_save_continue": ("Save and continue", "저장하고 계속"),
    "aw_speak_start": ("Speak instead of typing", "말로 입력하기"),
    "aw_speak_stop": ("Stop recording", "녹음 멈추기"),
    "aw_speak_recording": (
        "Recording. Speak now, then press Stop recording.",
        "녹음 중입니다. 말씀하신 뒤 녹음 멈추기를 누르세요.",
    ),
    "aw_speak_working": ("Turning your words into text…", "말을 글로 바꾸는 중…"),
    "aw_speak_done": (
        "Your words were added to the box. Check them.",
        "말씀하신 내용을 칸에 넣었습니다. 확인해 주세요.",
    ),
    "aw_speak_failed": (
        "Recording did not work. You can upload a recording instead.",
        "녹음이 되지 않았습니다. 대신 녹음 파일을 올릴 수 있습니다.",
    ),
    "aw_speak_upload_summary": ("Upload a recording instead", "대신 녹음 파일 올리기"),
    "aw_speak_upload_label": ("A recording of you speaking", "내가 말한 녹음 파일"),
    "aw_speak_upload_hint": (
        "A .wav, .webm, .ogg or .mp3 file, in English, up to 2 minutes. We turn it into text on this website "
        "and do not keep it.",
        "영어로 말한 .wav, .webm, .ogg, .mp3 파일, 2분 이내. 이 웹사이트에서 글로 바꾸며 파일은 보관하지 않습니다.",
    ),
    "aw_speak_upload_button": ("Turn the recording into text", "녹음을 글로 바꾸기"),
    "aw_remove_title": ("Remove this job?", "이 일을 지울까요?"),
    "aw_remove_button": ("Yes, remove it", "네, 지웁니다"),
    "aw_resume_title": ("Use a résumé you already have", "가지고 있는 이력서 사용하기"),
    "aw_resume_intro": (
        "Upload the file or paste its text. We find the jobs in it and you check each one before anything "
        "is saved.",
        "파일을 올리거나 내용을 붙여 넣으세요. 저희가 이력서에서 일을 찾아 드리고, 저장하기 전에 하나하나 "
        "확인하실 수 있습니다.",
    ),
    "aw_resume_file_label": ("Upload your résumé", "이력서 파일 올리기"),
    "aw_resume_file_hint": (
        "A .docx, .pdf or .txt file, at most {mb} MB.",
        ".docx, .pdf, .txt 파일, 최대 {mb}MB.",
    ),
    "aw_resume_text_label": ("Or paste your résumé here", "또는 이력서 내용을 여기에 붙여 넣기"),
    "aw_resume_text_hint": (
        "Or just describe your jobs, for example “I was a customer service rep for 25 years”.",
        "또는 해 온 일을 간단히 적어도 됩니다. 예: “I was a customer service rep for 25 years”.",
    ),
    "aw_resume_read": ("Read my résumé", "이력서 읽기"),
    "aw_confirm_title": ("Check the jobs we found", "찾은 일을 확인하세요"),
    "aw_confirm_intro": (
        "We found {n} jobs. Check each one, change what is wrong, and untick what you do not want to keep.",
        "일 {n}개를 찾았습니다. 하나씩 확인하고, 틀린 것은 고치고, 남기지 않을 것은 표시를 지우세요.",
    ),
    "aw_confirm_job": ("Job {n}", "일 {n}"),
    "aw_confirm_untitled": ("no title found", "직함을 찾지 못함"),
    "aw_confirm_keep": ("Keep this job", "이 일 남기기"),
    "aw_confirm_occupation": ("Which kind of job is it?", "어떤 종류의 일인가요?"),
    "aw_confirm_tasks": ("Tasks you did", "내가 한 업무"),
    "aw_confirm_tasks_hint": (
        "Tasks of {title} that match what you wrote. Untick any you did not do.",
        "적으신 내용과 맞는 {title}의 업무입니다. 하지 않은 업무는 표시를 지우세요.",
    ),
    "aw_confirm_save": ("Save these jobs", "이 일들 저장하기"),
    "aw_error_choose": ("Choose the job that is closest to yours", "내 일과 가장 가까운 직업을 고르세요"),
    "aw_error_no_results": (
        "We found no job for “{q}”. Try other words, for example what you did all day.",
        "“{q}”에 맞는 직업을 찾지 못했습니다. 하루 종일 하던 일처럼 다른 말로 적어 보세요.",
    ),
    "aw_error_start_missing": ("Enter the year you started, like 1998", "시작한 해를 1998처럼 적어 주세요"),
    "aw_error_end_bad": (
        "Enter the year you stopped, like 2020, or leave it empty",
        "그만둔 해를 2020처럼 적거나 비워 두세요",
    ),
    "aw_error_future": (
        "The year cannot be in the future: it is {year} now",
        "앞으로 올 해는 적을 수 없습니다. 올해는 {year}년입니다",
    ),
    "aw_error_too_early": ("Enter a year after {year}", "{year}년 이후의 해를 적어 주세요"),
    "aw_error_end_before_start": (
        "The year you stopped must be the same as or after the year you started",
        "그만둔 해는 시작한 해와 같거나 그 뒤여야 합니다",
    ),
    "aw_error_title_missing": ("Enter your job title", "직함을 적어 주세요"),
    "aw_error_too_long": ("Use at most {n} letters", "{n}자 이하로 적어 주세요"),
    "aw_error_unknown_task": (
        "One of the ticked tasks is not a task of this job. Tick the tasks from the list again",
        "표시한 업무 중 이 직업의 업무가 아닌 것이 있습니다. 목록에서 다시 표시해 주세요",
    ),
    "aw_error_duties_long": (
        "Write at most {n} lines, each at most 500 letters",
        "{n}줄 이하, 한 줄에 500자 이하로 적어 주세요",
    ),
    "aw_error_audio_missing": ("Choose a recording to upload", "올릴 녹음 파일을 고르세요"),
    "aw_error_audio": ("The recording could not be used: {problem}", "녹음 파일을 쓸 수 없습니다: {problem}"),
    "aw_error_file": ("The file could not be read: {problem}", "파일을 읽을 수 없습니다: {problem}"),
    "aw_error_resume_empty": ("Upload a résumé or paste its text", "이력서를 올리거나 내용을 붙여 넣으세요"),
    "aw_error_resume_long": (
        "The text is too long: paste at most 100,000 letters",
        "내용이 너무 깁니다. 100,000자 이하로 붙여 넣으세요",
    ),
    "aw_error_keep_one": ("Keep at least one job, or go back", "일을 하나 이상 남기거나 뒤로 돌아가세요"),
    "aw_error_not_saved": ("Nothing was saved: {problem}", "아무것도 저장되지 않았습니다: {problem}"),
    # How a résumé draft was made (occurisk_assets/defs/assistant/resume.py NOTES holds the English, which the
    # API returns as `notes`); {facts} and {model} are content and stay as they are.
    "note_no_llm": (NOTES["no_llm"], "AI 언어 모델이 설정되어 있지 않습니다. 기본 초안입니다."),
    "note_over_budget": (
        NOTES["over_budget"],
        "AI로 문장을 다듬는 비용이 정해진 한도를 넘습니다. 기본 초안입니다.",
    ),
    "note_unreachable": (NOTES["unreachable"], "AI 언어 모델에 연결하지 못했습니다. 기본 초안입니다."),
    "note_rejected_not_json": (
        NOTES["rejected_not_json"],
        "AI가 다듬은 문장은 쓰지 않았습니다. 요청한 형식(JSON)으로 답하지 않았습니다. 기본 초안입니다.",
    ),
    "note_rejected_shape": (
        NOTES["rejected_shape"],
        "AI가 다듬은 문장은 쓰지 않았습니다. 일이나 항목의 수를 바꾸었습니다. 기본 초안입니다.",
    ),
    "note_rejected_facts": (
        NOTES["rejected_facts"],
        "AI가 다듬은 문장은 쓰지 않았습니다. 내 경력에 없는 사실을 더했습니다: {facts}. 기본 초안입니다.",
    ),
    "note_reworded": (
        NOTES["reworded"],
        "{model}(으)로 문장을 다듬었습니다. 확인 결과 더해진 사실은 없습니다.",
    ),
    "note_edited": (NOTES["edited"], "직접 고친 글을 쓴 그대로 보관합니다."),
}

# Plain-language, translated sentences used by several pages for BLS fields that are codes.
ERRORS: dict[str, tuple[str, str]] = {
    "soc": (
        "“{value}” is not a SOC code. A SOC code looks like 53-3032: two digits, a dash, four digits.",
        "“{value}”은(는) SOC 코드가 아닙니다. SOC 코드는 53-3032처럼 숫자 두 자리, 줄표, 숫자 네 자리입니다.",
    ),
    "soc_unknown": ("There is no job with SOC code {value}.", "SOC 코드 {value}인 직업이 없습니다."),
    "compare_count": (
        "Choose two or three jobs to compare (you gave {value}).",
        "비교할 직업을 두세 개 고르세요 (지금 {value}개).",
    ),
    "job_zone": (
        "The job zone must be a number from 1 to 5.",
        "직무 준비 수준은 1부터 5까지의 숫자여야 합니다.",
    ),
    "major_group": (
        "“{value}” is not a kind of work we know.",
        "“{value}”은(는) 알 수 없는 일의 종류입니다.",
    ),
    "sort": ("The table cannot be sorted by “{value}”.", "표를 “{value}” 기준으로 정렬할 수 없습니다."),
    "order": ("The order must be “asc” or “desc”.", "순서는 “asc” 또는 “desc”여야 합니다."),
    "q": (
        "The search text is too long: use at most 100 letters.",
        "검색어가 너무 깁니다. 100자 이하로 적어 주세요.",
    ),
    "version": ("O*NET version “{value}” is not loaded.", "O*NET 버전 “{value}”은(는) 없습니다."),
    "version_building": (
        "O*NET version {value} is still being built. Try again when it is ready, or leave out ?version= "
        "to see the current version.",
        "O*NET 버전 {value}은(는) 아직 만드는 중입니다. 준비되면 다시 시도하거나, ?version= 없이 현재 버전을 보세요.",
    ),
    "version_failed": (
        "O*NET version {value} could not be built, so it cannot be shown. Leave out ?version= to see the "
        "current version.",
        "O*NET 버전 {value}은(는) 만들지 못해 보여 줄 수 없습니다. ?version= 없이 현재 버전을 보세요.",
    ),
    "bad_value": ("“{value}” is not a valid {name}.", "“{value}”은(는) 올바른 {name} 값이 아닙니다."),
    "unstorable_text": (
        "The {name} holds a character that is not text (a NUL or a broken Unicode character): remove it and "
        "send again.",
        "{name}에 글자가 아닌 문자(NUL 또는 깨진 유니코드 문자)가 있습니다. 그 문자를 지우고 다시 보내 주세요.",
    ),
    "lang": ("The language must be “en” or “ko”.", "언어는 “en” 또는 “ko”여야 합니다."),
    "profile_unknown": (
        "There is no profile at this link. It may have been deleted, or removed after 30 days without use.",
        "이 링크의 프로필이 없습니다. 삭제되었거나 30일 동안 쓰지 않아 지워졌을 수 있습니다.",
    ),
    "outcome_missing": (
        "Choose what happened with “{value}”: applied, interview, offer or turned down.",
        "“{value}” 일자리가 어떻게 되었는지 고르세요: 지원, 면접, 채용 제안, 불합격.",
    ),
    "posting_unknown": (
        "There is no job ad {value} any more. It may have been removed.",
        "구인 광고 {value}은(는) 더 이상 없습니다. 삭제되었을 수 있습니다.",
    ),
    "resume_target": ("Choose a job from the list.", "목록에서 직업을 고르세요."),
    "resume_text_empty": (
        "Write your résumé text, or make a new draft.",
        "이력서 글을 쓰거나 새 초안을 만드세요.",
    ),
    "resume_text_long": (
        "The résumé text is too long: use at most {value} characters.",
        "이력서 글이 너무 깁니다. {value}자 이하로 줄여 주세요.",
    ),
    "posting_short": (
        "Paste the job advert: it needs at least {value} characters.",
        "채용 공고를 붙여 넣으세요. {value}자 이상이어야 합니다.",
    ),
    "posting_long": (
        "The job advert is too long: use at most {value} characters.",
        "채용 공고가 너무 깁니다. {value}자 이하로 줄여 주세요.",
    ),
    "as_said": ("{value}", "{value}"),  # a message already written in the page's language
    "ad_title_missing": ("Enter the job title of the ad.", "광고의 직업 이름을 적어 주세요."),
    "ad_title_long": (
        "The job title is too long: use at most 300 letters.",
        "직업 이름이 너무 깁니다. 300자 이하로 적어 주세요.",
    ),
    "ad_description_missing": ("Paste the text of the ad.", "광고 내용을 붙여 넣어 주세요."),
    "ad_description_long": (
        "The ad is too long: use at most 50,000 letters.",
        "광고가 너무 깁니다. 50,000자 이하로 줄여 주세요.",
    ),
}

Translate = Callable[..., str]


def translator(lang: str, table: dict[str, tuple[str, str]] = TEXT) -> Translate:
    index = LANGUAGES.index(lang)

    def t(key: str, **values: object) -> str:
        return table[key][index].format(**values)

    return t
