// Every word the page shows, in Simplified and Traditional Chinese and in
// English. The page follows the script of the question being answered, and
// before any question the browser's language.

export const LANGS = ["zh-Hans", "zh-Hant", "en"];

// Each entry is [Simplified, Traditional, English]. {name} is replaced by
// the argument of that name.
const S = {
  skip: ["跳到提问框", "跳到提問框", "Skip to the question box"],
  tagline: ["就你的文档提问，每一句回答都标明出处，点开即可核对原文。", "就你的文件提問，每一句回答都標明出處，點開即可核對原文。", "Ask your documents; every claim cites a passage you can open and check."],
  collection: ["文档集", "文件集", "Collection"],
  dark: ["深色", "深色", "Dark"],
  conversations: ["对话记录", "對話記錄", "Conversations"],
  newConversation: ["新对话", "新對話", "New conversation"],
  noConversations: ["还没有对话。", "還沒有對話。", "No conversations yet."],
  deleteConversation: ["删除对话“{title}”", "刪除對話「{title}」", "Delete conversation “{title}”"],
  question: ["问题", "問題", "Question"],
  askPlaceholder: ["输入问题，Enter 提问，Shift+Enter 换行", "輸入問題，Enter 提問，Shift+Enter 換行", "Ask a question — Enter to send, Shift+Enter for a new line"],
  followPlaceholder: ["继续追问…", "繼續追問…", "Ask a follow-up…"],
  options: ["检索选项", "檢索選項", "Retrieval options"],
  mode: ["方式", "方式", "Mode"],
  hybrid: ["混合", "混合", "Hybrid"],
  bm25: ["关键词", "關鍵詞", "Keywords"],
  vector: ["向量", "向量", "Vectors"],
  k: ["段落数", "段落數", "Passages"],
  ask: ["提问", "提問", "Ask"],
  stop: ["停止", "停止", "Stop"],
  examples: ["试试：", "試試：", "Try:"],
  documents: ["文档", "文件", "Documents"],
  loading: ["正在加载…", "正在載入…", "Loading…"],
  indexing: ["正在建立索引，请稍候…", "正在建立索引，請稍候…", "Building the index, one moment…"],
  cannotConnect: ["无法连接服务器。", "無法連接伺服器。", "Cannot reach the server."],
  noDocuments: ["这个文档集还没有文档。", "這個文件集還沒有文件。", "This collection has no documents yet."],
  footer: ["回答只依据所列文档；文档不能回答的问题，会明说无法回答。", "回答只依據所列文件；文件不能回答的問題，會明說無法回答。", "Answers rest only on the listed documents; when they cannot answer, wenda says so."],
  close: ["关闭", "關閉", "Close"],

  searching: ["正在检索文档…", "正在檢索文件…", "Searching the documents…"],
  found: ["找到 {n} 段相关文字，正在作答…", "找到 {n} 段相關文字，正在作答…", "Found {n} passages; writing the answer…"],
  foundNone: ["没有找到相关文字。", "沒有找到相關文字。", "No passage matched."],
  stopped: ["已停止。", "已停止。", "Stopped."],
  extractive: ["摘录式回答", "摘錄式回答", "Quoted from the documents"],
  byModel: ["模型 {model}", "模型 {model}", "Model {model}"],
  took: ["{s} 秒", "{s} 秒", "{s} s"],
  shortAnswer: ["简答", "簡答", "Short answer"],
  sources: ["出处", "出處", "Sources"],
  passagesFound: ["检索到的段落（{n}）", "檢索到的段落（{n}）", "Passages found ({n})"],
  retrievedPassage: ["检索到的段落", "檢索到的段落", "Retrieved passage"],
  citeLabel: ["引文 {n}：{title}", "引文 {n}：{title}", "Citation {n}: {title}"],
  citeBar: ["引文 [{n}]", "引文 [{n}]", "Citation [{n}]"],
  citePending: ["引文 {n}（正在核实）", "引文 {n}（正在核實）", "Citation {n} (being checked)"],
  page: ["第 {p} 页", "第 {p} 頁", "page {p}"],
  evidenceLegend: ["深色标出的是回答所依据的句子", "深色標出的是回答所依據的句子", "The darker marks are the sentences the answer rests on"],
  original: ["原文链接", "原文連結", "Original"],
  followUpOf: ["追问自：", "追問自：", "Follow-up to: "],

  withheld: ["{n} 句话在所引文档中找不到依据，已略去。", "{n} 句話在所引文件中找不到依據，已略去。", "{n} sentence(s) could not be checked against the documents and were left out."],
  withheldShow: ["查看略去的内容及原因", "查看略去的內容及原因", "See what was left out and why"],
  withheldWarning: ["以下句子未经核实，仅供了解回答是如何产生的：", "以下句子未經核實，僅供了解回答是如何產生的：", "These sentences were not verified; they are shown only so you can see how the answer was made:"],
  why_no_citation: ["没有标明出处。", "沒有標明出處。", "It cited no passage."],
  why_quarantined: ["所引段落含有对模型下指令的文字，不能作为依据。", "所引段落含有對模型下指令的文字，不能作為依據。", "The passage it cited holds instructions to the model and cannot back a claim."],
  why_missing_terms: ["所引段落中没有“{terms}”。", "所引段落中沒有「{terms}」。", "The passage it cited never mentions “{terms}”."],
  why_low_overlap: ["与所引段落的说法对不上。", "與所引段落的說法對不上。", "It does not match what the passage it cited says."],
  why_no_anchor: ["太短，无法在所引段落中核实。", "太短，無法在所引段落中核實。", "Too short to check against the passage it cited."],
  why_polarity: ["与所引段落的意思相反。", "與所引段落的意思相反。", "It says the opposite of the passage it cited."],
  why_overstated: ["说得比所引段落更绝对。", "說得比所引段落更絕對。", "It states as certain what the passage it cited does not."],
  why_no_single_source: ["所引段落没有一段能单独支持这句话。", "所引段落沒有一段能單獨支持這句話。", "None of the passages it cited supports it on its own."],
  why_other: ["未能在所引段落中核实。", "未能在所引段落中核實。", "It could not be verified against the passage it cited."],

  refusal_no_passages: ["文档中没有找到与这个问题相关的内容。", "文件中沒有找到與這個問題相關的內容。", "Nothing in the documents relates to this question."],
  refusal_missing_terms: ["文档中没有提到“{terms}”，所以无法回答这个问题。", "文件中沒有提到「{terms}」，所以無法回答這個問題。", "The documents never mention “{terms}”, so they cannot answer this question."],
  refusal_low_relevance: ["文档中似乎没有谈到这个问题。", "文件中似乎沒有談到這個問題。", "The documents do not seem to discuss this question."],
  refusal_no_sentence: ["找到了相关段落，但其中没有一句话回答了这个问题。", "找到了相關段落，但其中沒有一句話回答了這個問題。", "Related passages were found, but none of their sentences answers the question."],
  refusal_model_refused: ["找到的段落中没有这个问题的答案。", "找到的段落中沒有這個問題的答案。", "The passages found do not contain the answer."],
  refusal_untranslated: ["问题是英文的，而没有配置语言模型时不做翻译。请用中文提问。", "問題是英文的，而沒有配置語言模型時不做翻譯。請用中文提問。", "Without a language model, English questions are not translated, and the documents share too few of their words. Ask in Chinese."],
  refusal_premise_denied: ["文档所说与问题所假定的相反，所以说不出“为什么”。", "文件所說與問題所假定的相反，所以說不出「為什麼」。", "The documents say the opposite of what the question takes as given, so they cannot say why."],
  refusal_unverified: ["起草的回答无法在文档中逐句核实，所以不予显示。", "起草的回答無法在文件中逐句核實，所以不予顯示。", "The drafted answer could not be checked sentence by sentence against the documents, so it is not shown."],
  details: ["详情", "詳情", "Details"],
  relevance: ["相关度 {score}（覆盖 {coverage}）", "相關度 {score}（覆蓋 {coverage}）", "relevance {score} (coverage {coverage})"],
  fallback: ["语言模型暂时不可用，以下回答直接摘自文档。", "語言模型暫時無法使用，以下回答直接摘自文件。", "The language model is unavailable right now; this answer is quoted directly from the documents."],

  errorTitle: ["出错了：", "出錯了：", "Something went wrong: "],
  connectionLost: ["连接中断，回答没有完成。", "連線中斷，回答沒有完成。", "The connection broke before the answer was complete."],
  requestFailed: ["请求失败（{status}）。", "請求失敗（{status}）。", "The request failed ({status})."],
  serverSaid: ["服务器说明：", "伺服器說明：", "The server said: "],

  copy: ["复制", "複製", "Copy"],
  copied: ["已复制", "已複製", "Copied"],
  share: ["分享链接", "分享連結", "Share link"],
  linkCopied: ["链接已复制", "連結已複製", "Link copied"],
  helpful: ["有帮助", "有幫助", "Helpful"],
  notHelpful: ["没帮助", "沒幫助", "Not helpful"],
  feedbackNote: ["补充说明（可选）", "補充說明（可選）", "Add a note (optional)"],
  send: ["发送", "傳送", "Send"],
  cancel: ["取消", "取消", "Cancel"],
  ok: ["确定", "確定", "OK"],
  thanks: ["谢谢，反馈已保存。", "謝謝，回饋已儲存。", "Thank you — your feedback was saved."],
  answerReady: ["回答完成：", "回答完成：", "Answer ready: "],

  upload: ["上传文档", "上傳文件", "Upload documents"],
  dropHint: ["把文件拖到这里，或", "把檔案拖到這裡，或", "Drop files here, or"],
  chooseFiles: ["选择文件", "選擇檔案", "choose files"],
  dropHere: ["松开即可上传", "放開即可上傳", "Release to upload"],
  status_uploading: ["上传中", "上傳中", "Uploading"],
  status_queued: ["排队中", "排隊中", "Queued"],
  status_processing: ["处理中", "處理中", "Processing"],
  status_ready: ["就绪", "就緒", "Ready"],
  status_failed: ["失败", "失敗", "Failed"],
  status_deleting: ["正在删除", "正在刪除", "Deleting"],
  delete: ["删除", "刪除", "Delete"],
  deleteDoc: ["删除“{title}”", "刪除「{title}」", "Delete “{title}”"],
  confirmDelete: ["删除“{title}”？删除后，回答不会再引用它。", "刪除「{title}」？刪除後，回答不會再引用它。", "Delete “{title}”? Answers will no longer use it."],
  chunks: ["{n} 段", "{n} 段", "{n} passages"],
  keyTitle: ["需要 API 密钥", "需要 API 金鑰", "API key needed"],
  keyHelp: ["这项操作需要有相应权限的密钥。服务器第一次启动时会在日志里打印管理员密钥；也可以向运维人员索取。", "這項操作需要有相應權限的金鑰。伺服器第一次啟動時會在日誌裡印出管理員金鑰；也可以向維運人員索取。", "This needs a key with the right to do it. The server prints its admin key in its log the first time it starts; or ask its operator."],
  keyLabel: ["密钥", "金鑰", "Key"],
  remember: ["在这个浏览器中记住", "在這個瀏覽器中記住", "Remember in this browser"],
  forgetKey: ["忘记密钥", "忘記金鑰", "Forget key"],
};

// Server error codes, worded for readers. A code the page does not know
// is shown with the server's own message.
const E = {
  not_ready: ["索引还在加载，请几秒钟后再试。", "索引還在載入，請幾秒鐘後再試。", "The index is still loading; try again in a few seconds."],
  internal: ["服务器内部出错。", "伺服器內部出錯。", "The server had an internal error."],
  body_too_large: ["请求内容太大。", "請求內容太大。", "The request is too large."],
  empty_question: ["问题是空的，请输入问题。", "問題是空的，請輸入問題。", "The question is empty; type a question."],
  question_too_long: ["问题太长了，最多 2000 字。", "問題太長了，最多 2000 字。", "The question is too long; the limit is 2,000 characters."],
  history_too_long: ["这段对话太长了，请开始新对话。", "這段對話太長了，請開始新對話。", "This conversation is too long; start a new one."],
  turn_too_long: ["对话中有一个问题太长了，请开始新对话。", "對話中有一個問題太長了，請開始新對話。", "A question earlier in this conversation is too long; start a new one."],
  unknown_mode: ["检索方式无效。", "檢索方式無效。", "Unknown retrieval mode."],
  invalid_k: ["段落数必须在 1 到 50 之间。", "段落數必須在 1 到 50 之間。", "The number of passages must be between 1 and 50."],
  invalid_json: ["请求格式有误。", "請求格式有誤。", "The request was malformed."],
  invalid_type: ["请求格式有误。", "請求格式有誤。", "The request was malformed."],
  unknown_field: ["请求格式有误。", "請求格式有誤。", "The request was malformed."],
  unsupported_media_type: ["请求格式有误。", "請求格式有誤。", "The request was malformed."],
  invalid_query: ["请求格式有误。", "請求格式有誤。", "The request was malformed."],
  invalid_date: ["日期格式有误。", "日期格式有誤。", "A date is malformed."],
  unknown_document: ["找不到这份文档。", "找不到這份文件。", "There is no such document."],
  not_found: ["找不到请求的内容。", "找不到請求的內容。", "Not found."],
  method_not_allowed: ["不支持这个操作。", "不支援這個操作。", "That is not allowed here."],
  llm_timeout: ["语言模型没有及时回应，请稍后再试。", "語言模型沒有及時回應，請稍後再試。", "The language model did not answer in time; try again later."],
  llm_rejected: ["语言模型服务拒绝了请求，可能是服务器的模型名称或密钥配置有误。", "語言模型服務拒絕了請求，可能是伺服器的模型名稱或金鑰設定有誤。", "The language model service refused the request; the server's model name or key may be wrong."],
  llm_unavailable: ["语言模型服务暂时无法连接或负载过高，请稍后再试。", "語言模型服務暫時無法連線或負載過高，請稍後再試。", "The language model service is unreachable or overloaded; try again later."],
  embeddings_rejected: ["向量服务拒绝了请求，可能是服务器的配置有误。", "向量服務拒絕了請求，可能是伺服器的設定有誤。", "The embedding service refused the request; the server's settings may be wrong."],
  chunk_not_found: ["找不到这段引文，文档可能已被更新或删除。", "找不到這段引文，文件可能已被更新或刪除。", "That passage is gone; its document may have been updated or deleted."],
  invalid_mmr: ["请求格式有误。", "請求格式有誤。", "The request was malformed."],
  no_question: ["没有问题。", "沒有問題。", "There is no question."],
  too_many_messages: ["对话太长了，请开始新对话。", "對話太長了，請開始新對話。", "The conversation is too long; start a new one."],
  message_too_long: ["消息太长了。", "訊息太長了。", "A message is too long."],
  embeddings_unavailable: ["向量服务暂时无法连接，请稍后再试。", "向量服務暫時無法連線，請稍後再試。", "The embedding service is unreachable; try again later."],
  embeddings_timeout: ["向量服务没有及时回应，请稍后再试。", "向量服務沒有及時回應，請稍後再試。", "The embedding service did not answer in time; try again later."],
  timeout: ["处理时间超过了服务器的限制，请稍后再试。", "處理時間超過了伺服器的限制，請稍後再試。", "The request took longer than the server allows; try again later."],
  rate_limited: ["请求太频繁，请稍等片刻再试。", "請求太頻繁，請稍等片刻再試。", "Too many requests; wait a moment and try again."],
  overloaded: ["服务器正忙，请稍后再试。", "伺服器正忙，請稍後再試。", "The server is busy; try again shortly."],
  key_required: ["需要 API 密钥。", "需要 API 金鑰。", "An API key is needed."],
  key_invalid: ["API 密钥无效。", "API 金鑰無效。", "The API key is not valid."],
  forbidden: ["这个密钥没有权限执行此操作。", "這個金鑰沒有權限執行此操作。", "This key may not do that."],
  invalid_rating: ["反馈格式有误。", "回饋格式有誤。", "The feedback was malformed."],
  invalid_feedback: ["反馈内容有误或太长。", "回饋內容有誤或太長。", "The feedback is malformed or too long."],
  feedback_full: ["服务器的反馈存储已满，暂时无法保存。", "伺服器的回饋儲存已滿，暫時無法儲存。", "The server's feedback store is full; it cannot save more now."],
  feedback_disabled: ["这台服务器不保存反馈。", "這台伺服器不保存回饋。", "This server does not store feedback."],
  collection_not_found: ["找不到这个文档集。", "找不到這個文件集。", "There is no such collection."],
  invalid_collection: ["文档集的名称或设置有误。", "文件集的名稱或設定有誤。", "The collection's name or settings are invalid."],
  document_not_found: ["找不到这份文档，它可能已被删除。", "找不到這份文件，它可能已被刪除。", "There is no such document; it may have been deleted."],
  document_not_ready: ["这份文档还在处理中，请稍后再打开。", "這份文件還在處理中，請稍後再開啟。", "This document is still being processed; open it again shortly."],
  no_files: ["没有选择文件。", "沒有選擇檔案。", "No file was chosen."],
  invalid_upload: ["上传的内容有误。", "上傳的內容有誤。", "The upload was malformed."],
  disk_full: ["服务器的磁盘已满，无法保存文件。", "伺服器的磁碟已滿，無法儲存檔案。", "The server's disk is full; the file could not be stored."],
  collection_exists: ["这个文档集已经存在。", "這個文件集已經存在。", "That collection already exists."],
  file_too_large: ["文件太大。", "檔案太大。", "The file is too large."],
  too_many_files: ["一次上传的文件太多。", "一次上傳的檔案太多。", "Too many files in one upload."],
  unsupported_file_type: ["不支持这种文件类型。", "不支援這種檔案類型。", "This file type is not supported."],
  upload_too_large: ["上传的内容太大。", "上傳的內容太大。", "The upload is too large."],
  empty_file: ["文件是空的。", "檔案是空的。", "The file is empty."],
  invalid_filename: ["文件名无效。", "檔名無效。", "The file name is not valid."],
  invalid_page: ["列表的分页参数有误。", "列表的分頁參數有誤。", "The list's page parameters are invalid."],
  default_collection: ["默认文档集不能删除，可以删除其中的文档。", "預設文件集不能刪除，可以刪除其中的文件。", "The default collection cannot be deleted; delete its documents instead."],
  read_only: ["这台服务器的索引是只读的，不能修改文档集或上传文件。", "這台伺服器的索引是唯讀的，不能修改文件集或上傳檔案。", "This server's index is read-only: collections cannot be changed nor files uploaded."],
  shutting_down: ["服务器正在重启，请稍后重新上传。", "伺服器正在重新啟動，請稍後重新上傳。", "The server is shutting down; send the upload again in a moment."],
  model_not_found: ["找不到这个模型。", "找不到這個模型。", "There is no such model."],
  canceled: ["请求已取消。", "請求已取消。", "The request was canceled."],

  // Why an uploaded document failed (its error_code).
  binary_file: ["文件里是二进制数据，不是文字。", "檔案裡是二進位資料，不是文字。", "The file holds binary data, not text."],
  unknown_encoding: ["无法识别文件的文字编码，请另存为 UTF-8 再上传。", "無法辨識檔案的文字編碼，請另存為 UTF-8 再上傳。", "The file's text encoding is unknown; save it as UTF-8 and upload it again."],
  no_text_layer: ["这是扫描版 PDF，没有文字层；请先做文字识别（OCR）再上传。", "這是掃描版 PDF，沒有文字層；請先做文字辨識（OCR）再上傳。", "This is a scanned PDF with no text layer; run OCR on it and upload it again."],
  garbled_text_layer: ["这个 PDF 的文字层是乱码，无法使用；请先做文字识别（OCR）再上传。", "這個 PDF 的文字層是亂碼，無法使用；請先做文字辨識（OCR）再上傳。", "This PDF's text layer is garbled; run OCR on it and upload it again."],
  encrypted_file: ["文件有密码保护，请去掉密码后再上传。", "檔案有密碼保護，請移除密碼後再上傳。", "The file is password-protected; remove the password and upload it again."],
  corrupt_file: ["文件已损坏或格式有误。", "檔案已損壞或格式有誤。", "The file is damaged or malformed."],
  over_limit: ["文件超出了服务器的限制（页数、解压后大小或处理时间）。", "檔案超出了伺服器的限制（頁數、解壓後大小或處理時間）。", "The file goes over one of the server's limits (pages, unpacked size or processing time)."],
  no_text: ["文件里没有可用的文字。", "檔案裡沒有可用的文字。", "The file has no usable text."],
  bad_front_matter: ["文件开头的元数据（front matter）格式有误。", "檔案開頭的中繼資料（front matter）格式有誤。", "The metadata block (front matter) at the start of the file is malformed."],
  unreadable_file: ["无法读取这个文件。", "無法讀取這個檔案。", "The file could not be read."],
  indexing_failed: ["服务器建立索引时出错，请重新上传；问题持续时请联系管理员。", "伺服器建立索引時出錯，請重新上傳；問題持續時請聯絡管理員。", "Indexing failed on the server; upload the file again, and tell the operator if it keeps failing."],
};

const index = (lang) => Math.max(0, LANGS.indexOf(lang));

// t returns the string key in lang with its {names} filled from args.
export function t(lang, key, args = {}) {
  const row = S[key];
  if (!row) return key;
  return fill(row[index(lang)], args);
}

function fill(s, args) {
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in args ? String(args[name]) : m));
}

// errorText words a server error {code, message} for a reader. An unknown
// code keeps the server's message, which is English.
export function errorText(lang, err) {
  const row = err && E[err.code];
  if (row) return row[index(lang)];
  if (err && err.message) return t(lang, "serverSaid") + err.message;
  return t(lang, "requestFailed", { status: (err && err.status) || "?" });
}

// Characters written only in one of the two scripts, among the common ones.
const HANT = "這們國會說麼與對為關個來時後發開問題經過還點業長當實現東沒動產應該進樣種書車馬門見間頭聽讓認論議談話語讀貿區軍隊華幣銀錢億萬廠廣電網級結給約織終濟線練組細維紅總戰戲氣熱靈無際變邊達運遠選遞類質財資賽負責購費貴買賣減條標機權橫檢樓術雜眾傷體傳優偉倫灣臺歲舉黨亞歐邊協調將對屬島嶼們製衛態擊勢務還際陸歷夠雙稅險領導頭";
const HANS = "这们国会说么与对为关个来时发开问题经过还点业长当实现东没动产应该进样种书车马门见间头听让认论议谈话语读贸区军队华币银钱亿万厂广电网级结给约织终济线练组细维红总战戏气热灵无际变边达运远选递类质财资赛负责购费贵买卖减条标机权横检楼术杂众伤体传优伟伦湾岁举党亚欧协调将属岛屿卫态击势务陆历够双税险领导";
const hantSet = new Set(HANT);
const hansSet = new Set(HANS);

// scriptOf guesses the language of a question before the server says:
// English when it has Latin letters and no Han characters, Traditional when
// it holds more Traditional-only characters than Simplified-only ones,
// else Simplified (or fallback, when it is Chinese and undecided).
export function scriptOf(text, fallback = "zh-Hans") {
  let han = 0, latin = 0, hant = 0, hans = 0;
  for (const ch of text) {
    if (/\p{Script=Han}/u.test(ch)) {
      han++;
      if (hantSet.has(ch)) hant++;
      else if (hansSet.has(ch)) hans++;
    } else if (/[A-Za-z]/.test(ch)) {
      latin++;
    }
  }
  if (han === 0) return latin > 0 ? "en" : fallback;
  if (hant > hans) return "zh-Hant";
  if (hans > hant) return "zh-Hans";
  return fallback === "en" ? "zh-Hans" : fallback;
}

// browserLanguage maps the browser's preferred languages to one of LANGS.
export function browserLanguage(langs) {
  for (const l of langs || []) {
    const s = l.toLowerCase();
    if (/^zh-(hant|tw|hk|mo)/.test(s)) return "zh-Hant";
    if (s.startsWith("zh")) return "zh-Hans";
    if (s.startsWith("en")) return "en";
  }
  return "zh-Hans";
}

// htmlLang is the value of a lang attribute for a language of LANGS.
export function htmlLang(lang) {
  return lang === "en" ? "en" : lang;
}
