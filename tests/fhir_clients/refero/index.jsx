// A static test page around Helsenorge Refero (@helsenorge/refero, pinned in package.json).
// Playwright drives it through hooks on `window`:
//   referoLoad(questionnaire, response?) -> Promise, resolves when Refero has rendered the form
//   referoResponse()   -> the QuestionnaireResponse Refero holds now (its redux store)
//   referoSubmitted    -> the response Refero passed to onSubmit/onSave (null before)
//   referoScores()     -> {linkId: {formula, response, shown}} for the Helsenorge score items
//                         (http://ehelse.no/scoringFormulas TS/SS, and FHIRPath scores: formula
//                         'calc', an sdf-calculatedExpression): the value in Refero's response
//                         and the text Refero shows for it (null when not shown: hidden items).
import React from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'react-redux';
import { Refero, store as makeStore } from '@helsenorge/refero';
import resources from './resources.js';
import './styles.css';

const SCORING_FORMULAS = 'http://ehelse.no/scoringFormulas';
const CALCULATED_EXPRESSION = 'http://ehelse.no/fhir/StructureDefinition/sdf-calculatedExpression';
let root = null;
let store = null;
let questionnaire = null;

function walk(items, visit) {
  for (const item of items || []) {
    visit(item);
    walk(item.item, visit);
    for (const answer of item.answer || []) walk(answer.item, visit);
  }
}

function answersOf(response, linkId) {
  const found = [];
  walk(response?.item, (item) => {
    if (item.linkId === linkId) found.push(...(item.answer || []));
  });
  return found;
}

function scalar(answer) {
  if (!answer) return null;
  for (const key of ['valueDecimal', 'valueInteger', 'valueQuantity', 'valueString']) {
    if (answer[key] !== undefined) return key === 'valueQuantity' ? answer[key].value : answer[key];
  }
  return null;
}

window.referoSubmitted = null;
window.referoErrors = [];
window.addEventListener('error', (event) => window.referoErrors.push(String(event.message)));

window.referoLoad = (q, response) =>
  new Promise((resolve) => {
    if (root) root.unmount();
    questionnaire = q;
    store = makeStore();
    window.referoStore = store;
    window.referoSubmitted = null;
    const container = document.getElementById('form');
    root = createRoot(container);
    const keep = (qr) => {
      window.referoSubmitted = qr;
    };
    root.render(
      <Provider store={store}>
        <Refero
          questionnaire={q}
          questionnaireResponse={response || undefined}
          resources={resources}
          authorized={true}
          language="nb-no"
          onSubmit={keep}
          onSave={keep}
          onCancel={() => {}}
          loginButton={<span />}
          syncQuestionnaireResponse={true}
        />
      </Provider>,
    );
    const wait = () => {
      if (store.getState().refero.form.FormData.Content && container.querySelector('form, .page_refero'))
        resolve(true);
      else setTimeout(wait, 50);
    };
    wait();
  });

window.referoResponse = () => {
  const content = store?.getState().refero.form.FormData.Content;
  return content ? JSON.parse(JSON.stringify(content)) : null;
};

window.referoScores = () => {
  const response = window.referoResponse();
  const scores = {};
  walk(questionnaire?.item, (item) => {
    const coding = (item.code || []).find((c) => c.system === SCORING_FORMULAS);
    const calc = (item.extension || []).some((e) => e.url === CALCULATED_EXPRESSION);
    if (!calc && (!coding || !['TS', 'SS'].includes(coding.code))) return;
    // Refero shows a read-only item as <div id="item_{linkId, dots as %2E}"><b>label</b><div>value</div>
    const id = 'item_' + item.linkId.replace(/%/g, '%25').replace(/\./g, '%2E');
    const shown = document.getElementById(id)?.querySelector(':scope > div');
    const answers = answersOf(response, item.linkId);
    scores[item.linkId] = {
      formula: calc ? 'calc' : coding.code,
      response: answers.length ? scalar(answers[0]) : null,
      shown: shown ? shown.textContent.trim() : null,
    };
  });
  return scores;
};

window.referoReady = true;
