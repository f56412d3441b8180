"""Interface strings in English, Russian and Chinese; quoted evidence is never translated.

Strings are plain text with ``{placeholders}``; callers escape values before formatting HTML.
"""

from __future__ import annotations

LANGUAGES = ("en", "ru", "zh")

_EN: dict[str, str] = {
    "intro": "I answer questions about China–Central Asia cooperation from {docs} documents "
    "({chunks} passages), and I cite my sources.",
    "how_to_ask": "Just send me a question. In groups, use /ask, mention me, or reply to my message.",
    "examples_title": "Try for example:",
    "example_1": "When were diplomatic relations established?",
    "example_2": "What is the Middle Corridor?",
    "example_3": "How much did China–Kazakhstan trade grow?",
    "knows_title": "Some of what I know:",
    "commands": "/ask question — ask\n/fact [topic] — a fact card\n/sources — my documents\n"
    "/subscribe — daily fact cards in a group (admins)",
    "sources_heading": "Sources",
    "quotes_heading": "Quoted evidence",
    "no_answer": "I could not find an answer to this in my documents.",
    "try_topics": "I can tell you about: {topics}",
    "closest": "The nearest my documents come (it may not answer the question):",
    "conflict": "Note: my sources give different figures; each is cited.",
    "quoted_as_written": "Quoted as written in the source ({languages}); I do not translate quotes.",
    "lang_en": "English",
    "lang_ru": "Russian",
    "lang_zh": "Chinese",
    "btn_sources": "📚 Sources",
    "btn_hide": "📚 Hide sources",
    "thanks": "Thanks for your feedback!",
    "feedback_gone": "This answer is too old for feedback.",
    "rate_limited": "You are asking very quickly — please wait {seconds} s and try again.",
    "busy": "I am still answering other questions in this chat — please try again in a moment.",
    "unavailable": "The knowledge base is temporarily unavailable. Please try again shortly.",
    "error": "Sorry, something went wrong. Please try again.",
    "ask_usage": "Send /ask followed by your question, for example: /ask {example}",
    "no_facts": "I have no fact cards on that topic yet.",
    "documents_title": "My documents ({n}):",
    "admin_only": "Sorry, only the bot's administrators can do that.",
    "group_admin_only": "Only an administrator of this chat can change subscriptions.",
    "subscribed": "Subscribed: fact cards will be posted here.",
    "already_subscribed": "This chat is already subscribed.",
    "unsubscribed": "Unsubscribed: no more scheduled fact cards here.",
    "not_subscribed": "This chat was not subscribed.",
    "channel_usage": "In a private chat, send /subscribe @channelname (or /unsubscribe @channelname). "
    "In a group, an administrator sends /subscribe.",
    "channel_not_found": "I could not find the chat {name}. Is the name right, and am I a member?",
    "channel_need_admin": "Please make me an administrator of {name} (with the right to post) first.",
    "channel_subscribed": "Subscribed {name}: fact cards will be posted there.",
    "channel_unsubscribed": "Unsubscribed {name}.",
    "upload_private": "Please send documents to me in a private chat.",
    "upload_too_big": "That file is {size} MB; the limit is {limit} MB. Nothing was saved.",
    "upload_working": "Got {name} — adding it to the knowledge base…",
    "upload_result": "Done in {seconds} s: {added} added, {updated} updated, {unchanged} unchanged, "
    "{chunks} passages written.",
    "upload_failed": "Failed: {reasons}",
    "stats": "Questions answered: {questions}\nAbstentions: {abstained}\nFeedback: 👍 {up} / 👎 {down}\n"
    "Documents: {docs}\nPassages: {chunks}\nSubscribed chats: {subs}",
    "inline_title": "Answer: {question}",
    "inline_nothing": "No answer found",
    "fact_title": "Fact",
}

_RU: dict[str, str] = {
    "intro": "Я отвечаю на вопросы о сотрудничестве Китая и Центральной Азии по {docs} документам "
    "({chunks} фрагментов) и указываю источники.",
    "how_to_ask": "Просто пришлите вопрос. В группах — /ask, упоминание или ответ на моё сообщение.",
    "examples_title": "Например:",
    "example_1": "Когда были установлены дипломатические отношения?",
    "example_2": "Что такое Средний коридор?",
    "example_3": "Насколько вырос товарооборот Китая и Казахстана?",
    "knows_title": "Кое-что из того, что я знаю:",
    "commands": "/ask вопрос — спросить\n/fact [тема] — карточка-факт\n/sources — мои документы\n"
    "/subscribe — ежедневные карточки в группе (админы)",
    "sources_heading": "Источники",
    "quotes_heading": "Цитаты",
    "no_answer": "Я не нашёл ответа на этот вопрос в своих документах.",
    "try_topics": "Я могу рассказать о: {topics}",
    "closest": "Ближе всего к вопросу в документах вот это (возможно, это не ответ):",
    "conflict": "Внимание: источники приводят разные цифры; указаны все.",
    "quoted_as_written": "Цитаты приведены на языке источника ({languages}): я их не перевожу.",
    "lang_en": "английский",
    "lang_ru": "русский",
    "lang_zh": "китайский",
    "btn_sources": "📚 Источники",
    "btn_hide": "📚 Скрыть источники",
    "thanks": "Спасибо за отзыв!",
    "feedback_gone": "Этот ответ слишком старый для отзыва.",
    "rate_limited": "Вы спрашиваете слишком часто — подождите {seconds} с и попробуйте снова.",
    "busy": "Я ещё отвечаю на другие вопросы в этом чате — попробуйте чуть позже.",
    "unavailable": "База знаний временно недоступна. Попробуйте немного позже.",
    "error": "Извините, что-то пошло не так. Попробуйте ещё раз.",
    "ask_usage": "Напишите /ask и вопрос, например: /ask {example}",
    "no_facts": "По этой теме карточек пока нет.",
    "documents_title": "Мои документы ({n}):",
    "admin_only": "Извините, это могут делать только администраторы бота.",
    "group_admin_only": "Менять подписку может только администратор этого чата.",
    "subscribed": "Подписка оформлена: карточки будут публиковаться здесь.",
    "already_subscribed": "Этот чат уже подписан.",
    "unsubscribed": "Подписка отменена.",
    "not_subscribed": "Этот чат не был подписан.",
    "channel_usage": "В личном чате отправьте /subscribe @канал (или /unsubscribe @канал). "
    "В группе администратор отправляет /subscribe.",
    "channel_not_found": "Не удалось найти чат {name}. Проверьте имя и что я в нём состою.",
    "channel_need_admin": "Сначала сделайте меня администратором {name} с правом публикации.",
    "channel_subscribed": "{name} подписан: карточки будут публиковаться там.",
    "channel_unsubscribed": "Подписка {name} отменена.",
    "upload_private": "Пожалуйста, присылайте документы в личном чате.",
    "upload_too_big": "Файл весит {size} МБ; предел — {limit} МБ. Ничего не сохранено.",
    "upload_working": "Получил {name} — добавляю в базу знаний…",
    "upload_result": "Готово за {seconds} с: добавлено {added}, обновлено {updated}, без изменений "
    "{unchanged}, записано фрагментов: {chunks}.",
    "upload_failed": "Ошибки: {reasons}",
    "stats": "Отвечено вопросов: {questions}\nБез ответа: {abstained}\nОтзывы: 👍 {up} / 👎 {down}\n"
    "Документов: {docs}\nФрагментов: {chunks}\nПодписанных чатов: {subs}",
    "inline_title": "Ответ: {question}",
    "inline_nothing": "Ответ не найден",
    "fact_title": "Факт",
}

_ZH: dict[str, str] = {
    "intro": "我根据 {docs} 份文档（{chunks} 个段落）回答关于中国—中亚合作的问题，并注明出处。",
    "how_to_ask": "直接发送问题即可。在群组中请使用 /ask、@提及我，或回复我的消息。",
    "examples_title": "例如：",
    "example_1": "中国与中亚国家何时建立外交关系？",
    "example_2": "什么是中间走廊？",
    "example_3": "中哈贸易增长了多少？",
    "knows_title": "我了解的部分内容：",
    "commands": "/ask 问题 — 提问\n/fact [主题] — 事实卡片\n/sources — 我的文档\n"
    "/subscribe — 群组每日卡片（管理员）",
    "sources_heading": "来源",
    "quotes_heading": "引用原文",
    "no_answer": "我在文档中没有找到这个问题的答案。",
    "try_topics": "我可以介绍：{topics}",
    "closest": "文档中最接近的内容如下（可能并未回答这个问题）：",
    "conflict": "注意：各来源给出的数字不同，均已注明。",
    "quoted_as_written": "引文保留来源原文（{languages}），不作翻译。",
    "lang_en": "英文",
    "lang_ru": "俄文",
    "lang_zh": "中文",
    "btn_sources": "📚 来源",
    "btn_hide": "📚 隐藏来源",
    "thanks": "感谢您的反馈！",
    "feedback_gone": "这个回答太旧，无法反馈。",
    "rate_limited": "您提问太快了，请等待 {seconds} 秒后再试。",
    "busy": "我还在回答本聊天中的其他问题，请稍后再试。",
    "unavailable": "知识库暂时不可用，请稍后再试。",
    "error": "抱歉，出了点问题，请重试。",
    "ask_usage": "请发送 /ask 加上问题，例如：/ask {example}",
    "no_facts": "这个主题暂时没有事实卡片。",
    "documents_title": "我的文档（{n}）：",
    "admin_only": "抱歉，只有机器人管理员可以这样做。",
    "group_admin_only": "只有本群管理员可以更改订阅。",
    "subscribed": "已订阅：事实卡片将发布在这里。",
    "already_subscribed": "本聊天已订阅。",
    "unsubscribed": "已取消订阅。",
    "not_subscribed": "本聊天未订阅。",
    "channel_usage": "在私聊中发送 /subscribe @频道名（或 /unsubscribe @频道名）。"
    "在群组中由管理员发送 /subscribe。",
    "channel_not_found": "找不到聊天 {name}。请检查名称以及我是否是成员。",
    "channel_need_admin": "请先将我设为 {name} 的管理员（有发布权限）。",
    "channel_subscribed": "已为 {name} 订阅：事实卡片将发布在那里。",
    "channel_unsubscribed": "已为 {name} 取消订阅。",
    "upload_private": "请在私聊中发送文档。",
    "upload_too_big": "该文件为 {size} MB，上限为 {limit} MB。未保存任何内容。",
    "upload_working": "已收到 {name}，正在加入知识库…",
    "upload_result": "完成，用时 {seconds} 秒：新增 {added}，更新 {updated}，未变 {unchanged}，"
    "写入 {chunks} 个段落。",
    "upload_failed": "失败：{reasons}",
    "stats": "已回答问题：{questions}\n未作答：{abstained}\n反馈：👍 {up} / 👎 {down}\n"
    "文档：{docs}\n段落：{chunks}\n订阅的聊天：{subs}",
    "inline_title": "回答：{question}",
    "inline_nothing": "未找到答案",
    "fact_title": "事实",
}

_TABLES: dict[str, dict[str, str]] = {"en": _EN, "ru": _RU, "zh": _ZH}


def pick_language(code: str | None) -> str:
    """Telegram's ``language_code`` (e.g. "ru", "zh-hans", "en-GB") -> one of LANGUAGES; else "en"."""
    if not code:
        return "en"
    base = code.lower().replace("_", "-").split("-", 1)[0]
    return base if base in _TABLES else "en"


def t(lang: str, key: str, **values: object) -> str:
    """The interface string ``key`` in ``lang`` (falling back to English), formatted with ``values``."""
    template = _TABLES.get(lang, _EN).get(key) or _EN[key]
    return template.format(**values) if values else template
