"""One table of confidences: how much to trust each way of finding a speaker.

Keys are the names of the speaker readings (:mod:`quotex.quotes.speakers`: how a speaker
expression or the subject of a reporting verb became a speaker) and of the attribution rules
that name no expression (:mod:`quotex.quotes.attribution`). A quotation's confidence is the
value of the reading or rule that gave its speaker, times the factors below where they apply.
"""

from __future__ import annotations

__all__ = ["CONFIDENCE", "FACTOR", "INDIRECT"]

CONFIDENCE: dict[str, float] = {
    # --- a speaker expression after a cue: “...,” kata <expr> / menurut <expr> / disampaikan <expr>
    "person_mention": 0.95,  # a PERSON mention opens the expression: kata Antony Blinken
    "org_mention": 0.9,  # an organisation right at the start: kata Kemenkes
    "pronoun": 0.85,  # dia / ia / beliau -> the discourse's person (also before a verb)
    "nya_after": 0.85,  # “...,” katanya
    "written_statement": 0.85,  # demikian siaran pers itu
    "group_noun_org": 0.85,  # kata juru bicara <ORG>
    "role_bound": 0.85,  # kata Gubernur -> the governor the article introduced
    "role_then_person": 0.85,  # kata Kepala Dusun X, Kelurahan Y, Wahyu Wibowo (a PERSON mention)
    "plural_pronoun_current": 0.8,  # mereka, while an organisation or group speaks
    "unnamed": 0.8,  # kata seorang warga
    "place_mention": 0.8,  # kata Jepang (a country speaking)
    "org_mention_later": 0.8,  # an organisation further into the expression
    "nya_before_colon": 0.8,  # Katanya: “...”
    "continued_paragraph": 0.8,  # a paragraph that reopens a quotation left open
    "plural_pronoun_group": 0.75,  # mereka, no group known
    "group_noun": 0.75,  # kata para pengunjuk rasa
    "epithet": 0.75,  # kata pria 40 tahun itu -> the discourse's person (organisation: tulis kementerian itu)
    "role_bound_with_org": 0.75,  # kata Kepala Dinas Kesehatan -> the bound person, an org named too
    "name_read": 0.7,  # a capitalised name read from the text (no mention covers it)
    "role_then_name": 0.7,  # kata Direktur Utama PT X Wiwik Widayanti (name read from the text)
    "source_document_org": 0.7,  # menurut laporan <ORG>
    "discourse_speaker": 0.65,  # a sentence that is only a quotation: the current speaker
    "role_unbound": 0.6,  # kata Gubernur, no governor introduced: the title is the name
    "source_document": 0.5,  # menurut data itu
    "discourse_partial": 0.4,  # a quoted fragment inside a sentence: the current speaker
    # --- the subject of a reporting verb: <subject> mengatakan ...
    "subject_person": 0.9,
    "subject_org": 0.9,
    "subject_role": 0.8,  # Gubernur mengatakan -> the governor the article introduced
    "subject_place": 0.75,
    "subject_description": 0.7,  # Pria kelahiran Jakarta ini mengatakan -> the current person
    "subject_plural_pronoun_group": 0.7,
    "subject_name_read": 0.6,
    # --- readings that reported speech (quotex.reported) adds
    "nya_cue": 0.8,  # menurutnya, / , katanya, (no quote marks) -> the discourse's person
    "subject_relative": 0.8,  # Menpora Imam Nahrawi yang mengharapkan ...
    "participle": 0.75,  # ..., sembari menambahkan ... -> the one already speaking
    "current_speaker": 0.6,  # Disebutkan bahwa ... -> the current speaker
    # --- no speaker
    "no_speaker_full": 0.5,
    "no_speaker_other": 0.6,
}

FACTOR: dict[str, float] = {
    "open_quote": 0.8,  # a quotation left open at a paragraph break
    "multi_paragraph_end": 0.8,  # an open paragraph that takes the speaker named where the quotation ends
}

# Reported speech: how much each pattern of quotex.reported is trusted (times its speaker reading).
INDIRECT: dict[str, float] = {
    "verb": 0.9,  # X mengatakan bahwa ...
    "menurut": 0.9,  # Menurut X, ...
    "menurut_after": 0.85,  # ..., menurut X.
    "mid_cue": 0.9,  # ..., lanjut X, ...
    "cue_after": 0.85,  # ..., kata X. (no quote marks)
    "front_passive": 0.85,  # Dijelaskan X, ...
    "back_reference": 0.7,  # <sentence>. Hal itu disampaikan X.
}
